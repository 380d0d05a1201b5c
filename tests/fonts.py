"""Whether the report chart can be drawn here: it needs a CJK font (CI installs one; a test that needs it
is skipped elsewhere, with that reason, and fails in CI if the font is missing)."""

from __future__ import annotations

import os

import pytest

from bot.stats import chart


def has_cjk_font() -> bool:
    try:
        chart._font()
    except chart.ChartFontMissing:
        return False
    return True


needs_font = pytest.mark.skipif(not has_cjk_font() and not os.environ.get("CI"), reason="no CJK font installed here")
