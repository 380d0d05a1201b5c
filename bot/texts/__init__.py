"""Everything a citizen or staff member reads, in Simplified Chinese, in one place.

One module per area; all are re-exported here so callers write ``texts.NAME``.
"""

from bot.texts.common import *  # noqa: F403
from bot.texts.dialogue import *  # noqa: F403
from bot.texts.knowledge import *  # noqa: F403
from bot.texts.mail import *  # noqa: F403
from bot.texts.report import *  # noqa: F403
from bot.texts.tickets import *  # noqa: F403
from bot.texts.web import *  # noqa: F403
from bot.texts.webchat import *  # noqa: F403
