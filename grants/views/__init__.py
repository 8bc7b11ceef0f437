from .applications import *  # noqa: F403
from .exports import *  # noqa: F403
from .programmes import *  # noqa: F403
from .review import *  # noqa: F403
