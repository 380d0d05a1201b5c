"""argparse in Chinese: one plain line for a malformed command, the usage and help headings translated.

argparse writes its messages in English (gettext, with no Chinese catalogue). Invalid choices are
worded here directly, with the plain codes (``staff``, never ``<Role.STAFF: 'staff'>``); the other
messages are matched by their English wording and reworded; one not recognised keeps its text
behind a Chinese head rather than stopping the command.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import Any, NoReturn

from bot import texts

# argparse's messages (Python 3.11–3.13), each with the text that says it in Chinese.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"the following arguments are required: (?P<args>.+)"), texts.ARG_REQUIRED),
    (re.compile(r"one of the arguments (?P<args>.+) is required"), texts.ARG_ONE_REQUIRED),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), texts.ARG_UNRECOGNIZED),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"), texts.ARG_AMBIGUOUS),
    (re.compile(r"argument (?P<arg>.+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.*)\)"),
     texts.ARG_INVALID_CHOICE),
    (re.compile(r"argument (?P<arg>.+?): invalid (?P<type>\S+) value: (?P<value>.+)"), texts.ARG_INVALID_TYPE),
    (re.compile(r"argument (?P<arg>.+?): expected one argument"), texts.ARG_EXPECTED_ONE),
    (re.compile(r"argument (?P<arg>.+?): expected (?:at least one|at most one|\d+) arguments?"),
     texts.ARG_EXPECTED_MORE),
    (re.compile(r"argument (?P<arg>.+?): not allowed with argument (?P<other>.+)"), texts.ARG_NOT_ALLOWED),
    (re.compile(r"argument (?P<arg>.+?): ignored explicit argument (?P<value>.+)"), texts.ARG_IGNORED_VALUE),
    # A message of our own (an ArgumentTypeError's Chinese sentence) after argparse's "argument X: ".
    (re.compile(r"argument (?P<arg>.+?): (?P<message>.*[\u4e00-\u9fff].*)"), texts.ARG_MESSAGE),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")
ACTOR_MAX = 64  # the length of staff.name and ticket_events.actor


def _plain(value: str) -> str:
    """``'bogus'`` → ``bogus``: argparse quotes values with repr."""
    value = value.strip()
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" else value


def _listed(items: Iterable[str]) -> str:
    return texts.ARG_LIST_SEPARATOR.join(_plain(i) for i in items)


def translate(message: str) -> str:
    """argparse's English message in Chinese (a message already in Chinese is kept)."""
    message = message.strip()
    for pattern, template in _MESSAGES:
        m = pattern.fullmatch(message)
        if m is None:
            continue
        parts = m.groupdict()
        if "args" in parts:
            parts["args"] = _listed(parts["args"].split(", "))
        if "matches" in parts:
            parts["matches"] = _listed(parts["matches"].split(", "))
        if "choices" in parts:
            parts["choices"] = _listed(parts["choices"].split(", "))
        if "value" in parts:
            parts["value"] = _plain(parts["value"])
        if "type" in parts:
            parts["expected"] = texts.ARG_TYPES.get(parts["type"], texts.ARG_TYPE_OTHER)
        return template.format(**parts)
    return message if _CJK.search(message) else texts.ARG_OTHER.format(message=message)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are in Chinese; an error is one line on stderr
    and exit status 2. Subcommands' parsers are of this class too (argparse uses the parent's class)."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = texts.ARG_POSITIONALS
        self._optionals.title = texts.ARG_OPTIONALS
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=texts.ARG_HELP)

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter = super()._get_formatter()
        add_usage = formatter.add_usage

        def chinese_usage(usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
            add_usage(usage, actions, groups, texts.ARG_USAGE if prefix is None else prefix)

        formatter.add_usage = chinese_usage  # type: ignore[method-assign]
        return formatter

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is None or value in action.choices:
            return
        choices = _listed(str(getattr(c, "value", c)) for c in action.choices)  # an enum as its code
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001 - the subcommand
            raise argparse.ArgumentError(None, texts.ARG_INVALID_COMMAND.format(value=value, choices=choices))
        name = "/".join(action.option_strings) or action.metavar or action.dest
        raise argparse.ArgumentError(None, texts.ARG_INVALID_CHOICE.format(arg=name, value=value, choices=choices))

    def error(self, message: str) -> NoReturn:
        """One line: the command, what is wrong, where the usage is; exit status 2."""
        self.exit(2, texts.ARG_ERROR.format(prog=self.prog, message=translate(message)) + "\n")
