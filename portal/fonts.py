"""The Japanese font a machine without Noto Sans CJK still has.

IPAexGothic ships inside the pip package matplotlib-fontja (a dependency), so
PDFs and charts get Japanese glyphs on a fresh machine with no system font
package. The package is located without importing it: importing it switches
matplotlib's default font globally.
"""

import functools
import importlib.util
from pathlib import Path

BUNDLED_FONT_NAME = "IPAexGothic"


@functools.lru_cache(maxsize=1)
def bundled_font_path():
    """The IPAexGothic file of matplotlib-fontja, or None when not installed."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).rglob("ipaexg*.ttf")):
            return path
    return None


@functools.lru_cache(maxsize=1)
def register_bundled_font_with_matplotlib():
    """Make IPAexGothic known to matplotlib (a fallback after the system's fonts)."""
    path = bundled_font_path()
    if path is not None:
        # matplotlib costs about 1 s at start-up; only the charts need it.
        from matplotlib import font_manager

        font_manager.fontManager.addfont(str(path))
    return path
