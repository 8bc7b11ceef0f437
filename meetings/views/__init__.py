from .public import *  # noqa: F403
from .staff import *  # noqa: F403
from .syndication import *  # noqa: F403
