"""The one text pipeline used for indexing and for questions.

NFKC (full-width → half-width), traditional → simplified, spaces inside numbers and between
Chinese characters removed, Chinese numerals before a measure word turned into digits, jieba with
a domain dictionary, stop words dropped, synonyms folded onto one canonical term.
"""

from __future__ import annotations

import math
import os
import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jieba
import opencc

_DATA = resources.files("knowledge") / "data"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_PUNCT_CHARS = "，。：；、（）“”,.:;()"
_SPACE_BETWEEN = re.compile(
    rf"(?<=[{_CJK}0-9０-９{_PUNCT_CHARS}])[ \t\u3000]+(?=[{_CJK}0-9{_PUNCT_CHARS}])"
    rf"|(?<=[{_CJK}{_PUNCT_CHARS}])[ \t\u3000]+(?=[A-Za-z])|(?<=[A-Za-z])[ \t\u3000]+(?=[{_CJK}])"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")

_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_MEASURE = "个日天件条项年月周次封篇期场名人家户万元位倍部段类种章节批起所座处"
# A lone 一 stays (一是, 下一年, 一次性); longer numerals and 二…九 before a measure word become digits.
_CN_NUMBER = re.compile(
    rf"(第)?((?:[零〇一二两三四五六七八九十百千]{{2,}}|[二两三四五六七八九十]))(?=[{_MEASURE}])"
)
_ARTICLE = re.compile(r"第([零〇一二三四五六七八九十百]+)条")
_ARTICLE_DIGITS = re.compile(r"第\d+条")

def _word_list(name: str) -> frozenset[str]:
    """The words of a data file, one or more a line; lines starting with # are comments."""
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.lstrip().startswith("#") for w in line.split())


STOP_WORDS = _word_list("stopwords.txt")
_PUNCT = re.compile(rf"^[^{_CJK}0-9a-z]+$")
LIGHT_WORDS = _word_list("lightwords.txt")
LIGHT = 0.3  # the share of its rarity a light word or a single character keeps


def lightness(term: str) -> float:
    """How much of its rarity a term keeps in the weights of a question: a single character or a light
    word says little about what is asked (写, 说, 钱; 应当, 依法)."""
    return LIGHT if term in LIGHT_WORDS or (len(term) == 1 and not term.isascii()) else 1.0


def _load_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    text = (_DATA / "synonyms.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        canonical, _, variants = line.partition(":")
        for term in [canonical.strip(), *variants.split()]:
            table.setdefault(term.lower(), canonical.strip())
    return table


SYNONYMS = _load_synonyms()


class _Converter:
    """Traditional → simplified; skips the work when a text has no traditional character."""

    def __init__(self) -> None:
        self._cc = opencc.OpenCC("t2s")
        self._traditional = frozenset(self._traditional_chars())

    @staticmethod
    def _traditional_chars() -> set[str]:
        folder = Path(opencc.__file__).parent / "dictionary"
        chars: set[str] = set()
        path = folder / "TSCharacters.txt"
        if not path.exists():
            return set()  # unknown layout: always convert
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if len(key) == 1 and values.split(" ")[0] != key:
                chars.add(key)
        return chars

    def convert(self, text: str) -> str:
        if self._traditional and not any(c in self._traditional for c in text):
            return text
        return str(self._cc.convert(text))


@lru_cache(maxsize=1)
def _converter() -> _Converter:
    return _Converter()


def _cn_to_int(s: str) -> int | None:
    if not s or any(c not in _NUMERALS and c not in _UNITS for c in s):
        return None
    total, current = 0, 0
    for ch in s:
        if ch in _NUMERALS:
            current = _NUMERALS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def _numerals_to_digits(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        value = _cn_to_int(m.group(2))
        if value is None:
            return m.group(0)
        return (m.group(1) or "") + str(value)

    text = _ARTICLE.sub(lambda m: f"第{_cn_to_int(m.group(1))}条", text)
    return _CN_NUMBER.sub(repl, text)


def clean_display(text: str) -> str:
    """Text as shown to a citizen: NFKC-safe, no control characters, no spaces inside numbers."""
    text = _CONTROL.sub("", text)
    text = text.replace("\u3000", " ")
    text = _SPACE_BETWEEN.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


# Words that differ between Taiwan / Hong Kong usage and the mainland's, after character conversion.
_REGIONAL = {"资讯": "信息", "网路": "网络", "软体": "软件", "电邮": "电子邮件", "行政机构": "行政机关"}
_REGIONAL_RE = re.compile("|".join(_REGIONAL))


def normalize(text: str) -> str:
    """The canonical form both the index and the questions go through."""
    text = unicodedata.normalize("NFKC", text)
    text = _REGIONAL_RE.sub(lambda m: _REGIONAL[m.group(0)], _converter().convert(text))
    text = clean_display(text).lower()
    return _numerals_to_digits(text)


# jieba's full dictionary (349,000 words) takes over a second to load; words it has seen fewer than this
# many times are dropped (99,000 words remain), which cuts start-up and leaves the domain words, added
# from userdict.txt, untouched. Rare words then fall into known pieces on both sides alike.
MIN_WORD_FREQ = 20


_CACHE_DIR: Path | None = None


def use_cache_dir(folder: Path) -> None:
    """Where the trimmed dictionary is written (the settings' cache folder; the composition root sets
    it, as only bot.settings reads the environment). Takes effect if jieba is not loaded yet."""
    global _CACHE_DIR
    _CACHE_DIR = folder


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return _CACHE_DIR or Path(user_cache_dir("gongkai-zhushou"))


def _trimmed_dictionary(folder: Path) -> Path | None:
    """jieba's dictionary without its rarest words, written once into the cache folder."""
    source = Path(jieba.__file__).parent / "dict.txt"
    target = folder / f"jieba-dict-{jieba.__version__}-{MIN_WORD_FREQ}.txt"
    if target.exists():
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lines = [line for line in source.read_text(encoding="utf-8").splitlines(keepends=True)
                 if int(line.split(" ")[1]) >= MIN_WORD_FREQ]
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.replace(target)
        return target
    except (OSError, ValueError, IndexError):
        return None  # read-only cache or unexpected file: use the full dictionary


class _Segmenter:
    """A jieba tokenizer with the domain dictionary, initialised once (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tk: jieba.Tokenizer | None = None

    def tokenizer(self) -> jieba.Tokenizer:
        with self._lock:
            if self._tk is None:
                self._tk = self._build()
            return self._tk

    @staticmethod
    def _build() -> jieba.Tokenizer:
        folder = _cache_dir()
        dictionary = _trimmed_dictionary(folder)
        tk = jieba.Tokenizer(str(dictionary)) if dictionary else jieba.Tokenizer()
        if folder.is_dir():
            tk.tmp_dir = str(folder)
        jieba.setLogLevel(60)
        tk.initialize()
        with resources.as_file(_DATA / "userdict.txt") as path:
            tk.load_userdict(str(path))
        # Every term of the synonym table is a word, so both sides segment it the same way.
        for term in SYNONYMS:
            if len(term) > 1 and re.search(f"[{_CJK}]", term) and term not in tk.FREQ:
                tk.add_word(term, 500)
        return tk


_SEGMENTER = _Segmenter()


def warm_up() -> None:
    """Load the dictionary now rather than on the first question."""
    _SEGMENTER.tokenizer()


def inner_words(term: str) -> list[str]:
    """Dictionary words of 2+ characters inside a longer word (信息公开 inside 政府信息公开)."""
    freq = _SEGMENTER.tokenizer().FREQ
    n = len(term)
    return [term[i:j] for i in range(n) for j in range(i + 2, min(n, i + 7) + 1)
            if (j - i) < n and freq.get(term[i:j])]


def is_word(text: str) -> bool:
    """Whether jieba's dictionary (with the domain words) has this as a word."""
    return bool(_SEGMENTER.tokenizer().FREQ.get(text))


def general_rarity(term: str) -> float:
    """How rare a word is in general Chinese (0 common … 1 rare or unknown), from jieba's dictionary."""
    tk = _SEGMENTER.tokenizer()
    freq = tk.FREQ.get(term, 0)
    if not freq:
        return 1.0
    surprisal = math.log(tk.total / (freq + 1))
    return min(1.0, max(0.15, (surprisal - 8.0) / 6.0))


def _domain_words() -> list[str]:
    """The domain dictionary's words of three characters or more (userdict.txt): what a typo is fixed to."""
    lines = (_DATA / "userdict.txt").read_text(encoding="utf-8").splitlines()
    words = [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]
    return [w for w in words if len(w) >= 3 and all("\u4e00" <= c <= "\u9fff" for c in w)]


_DOMAIN_WORDS = _domain_words()
_DOMAIN_SET = frozenset(_DOMAIN_WORDS)
_ONE_OFF: dict[str, set[str]] = {}
for _word in _DOMAIN_WORDS:
    for _i in range(1, len(_word)):  # the first character is kept: 主懂公开, 公重号, 行政诉松
        _ONE_OFF.setdefault(_word[:_i] + "?" + _word[_i + 1:], set()).add(_word)


def fix_typos(norm: str) -> str:
    """A question's domain words typed with one wrong character (公重号, 行政诉松, 信息处里费, 电子邮相)
    written right: a run of three or more characters that is not itself a word, one character off
    exactly one domain word, the same first character. Questions only: documents are not changed."""
    out = norm
    for n in sorted({len(k) for k in _ONE_OFF}, reverse=True):
        for start in range(len(out) - n + 1):
            window = out[start:start + n]
            if window in _DOMAIN_SET or not all("\u4e00" <= c <= "\u9fff" for c in window):
                continue
            found = set().union(*(_ONE_OFF.get(window[:i] + "?" + window[i + 1:], set()) for i in range(1, n)))
            if len(found) == 1 and not is_word(window) and not _inside_a_word(out, start, start + n) \
                    and not (is_word(window[:-1]) or window[:-1] in _DOMAIN_SET):  # 行政复议 + 吗 is no typo
                out = out[:start] + found.pop() + out[start + n:]
    return out


def _inside_a_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a longer word the dictionary has (自然资 of 自然资源)."""
    for extra in (1, 2):
        for a in range(max(0, start - extra), start + 1):
            b = a + (end - start) + extra
            if b <= len(text) and is_word(text[a:b]):
                return True
    return False



def canonical(term: str) -> str:
    return SYNONYMS.get(term, term)


def tokenize(normalized_text: str, *, for_index: bool = True) -> list[str]:
    """Terms of an already normalized text: segmented, stop words out, synonyms folded.

    The index also gets the shorter words inside long ones (jieba's search mode), so a question
    that says 信息公开 finds a passage that says 政府信息公开; a question is cut precisely.
    """
    tk = _SEGMENTER.tokenizer()
    out: list[str] = []
    # No HMM guessing of new words: an unknown word falls into known pieces on both sides alike.
    pieces = tk.cut_for_search(normalized_text, HMM=False) if for_index else tk.cut(normalized_text, HMM=False)
    for raw in pieces:
        term = raw.strip()
        if not term or term in STOP_WORDS or _PUNCT.match(term):
            continue
        out.append(canonical(term))
        if for_index and len(term) >= 4:
            out.extend(canonical(w) for w in inner_words(term) if w not in STOP_WORDS)
    # Article references (第33条) as one term as well, so 第三十三条 and 第33条 meet.
    out.extend(m.group(0) for m in _ARTICLE_DIGITS.finditer(normalized_text))
    return out


def terms(text: str) -> list[str]:
    """normalize + tokenize."""
    return tokenize(normalize(text))
