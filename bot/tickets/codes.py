"""The codes stored in ticket rows and events (labels live in ``bot.texts.tickets``)."""

from __future__ import annotations

from enum import StrEnum


class TicketKind(StrEnum):
    ENQUIRY = "enquiry"  # a question escalated to staff
    DISCLOSURE_REQUEST = "disclosure_request"  # a formal request, 第二十七条


class Channel(StrEnum):
    """How a ticket arrived; 第三十一条 gives each its receipt date."""

    TELEGRAM = "telegram"
    TERMINAL = "terminal"
    COUNTER = "counter"  # 当面
    POST = "post"  # 邮寄
    FAX = "fax"  # 传真
    EMAIL = "email"  # 电子邮件
    WEBSITE = "website"  # 网站 (registered by staff)
    WEB = "web"  # the citizens' web chat of this bot


CHAT_CHANNELS = frozenset({Channel.TELEGRAM, Channel.TERMINAL, Channel.WEB})


class ApplicantType(StrEnum):
    """The columns of table 三 (2021 format)."""

    NATURAL_PERSON = "natural_person"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICES = "legal_services"
    OTHER_ORG = "other_org"


class IdKind(StrEnum):
    """Proof of identity, 第二十九条第二款第（一）项."""

    RESIDENT_ID = "resident_id"  # 居民身份证, GB 11643
    USCC = "uscc"  # 统一社会信用代码, GB 32100
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"  # 外国人永久居留身份证


class DeliveryForm(StrEnum):
    """The form of the information asked for, 第二十九条第二款第（三）项."""

    PAPER = "paper"
    ELECTRONIC = "electronic"


class DeliveryWay(StrEnum):
    POST = "post"
    EMAIL = "email"
    PICKUP = "pickup"
    CHAT = "chat"


class PauseKind(StrEnum):
    THIRD_PARTY = "third_party"  # 第三十二条
    AGENCY = "agency"  # 第三十四条
    FEE = "fee"  # 信息处理费 (第四十二条, 国办函〔2020〕109号); the pause itself is a local reading


CONSULTATIONS = frozenset({PauseKind.THIRD_PARTY, PauseKind.AGENCY})


class Role(StrEnum):
    """Each role can do all that the one before it can."""

    STAFF = "staff"
    SUPERVISOR = "supervisor"  # 工作机构负责人, approves extensions (第三十三条第二款)
    ADMIN = "admin"  # 管理员: adds, removes and changes staff, loads holiday schedules


class Rating(StrEnum):
    """The applicant's rating of a closed ticket (满意率 in the yearly figures)."""

    SATISFIED = "satisfied"  # 满意
    MOSTLY = "mostly"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class RemedyKind(StrEnum):
    """The groups of table 四."""

    REVIEW = "review"  # 行政复议
    LAWSUIT_DIRECT = "lawsuit_direct"  # 行政诉讼 未经复议直接起诉
    LAWSUIT_AFTER_REVIEW = "lawsuit_after_review"  # 行政诉讼 复议后起诉


class RemedyResult(StrEnum):
    UPHELD = "upheld"  # 维持
    CORRECTED = "corrected"  # 纠正
    OTHER = "other"  # 其他
    PENDING = "pending"  # 尚未审结


class Action(StrEnum):
    """What an event records."""

    CREATED = "created"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    NOTE = "note"
    REPLIED = "replied"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ENDED = "consultation_ended"
    FEE_NOTICE_SENT = "fee_notice_sent"
    FEE_PAID = "fee_paid"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_APPROVED = "extension_approved"
    CLOSED = "closed"
    REMEDY_RECORDED = "remedy_recorded"
    REMEDY_DECIDED = "remedy_decided"
    REVEALED = "revealed"
    LISTED = "listed"  # only ever the subject of a refusal
    VIEWED = "viewed"  # likewise
    DENIED = "denied"
    DUE_RECOMPUTED = "due_recomputed"
    STAFF_ADDED = "staff_added"
    STAFF_REMOVED = "staff_removed"
    CALENDAR_LOADED = "calendar_loaded"
    RATED = "rated"  # the applicant rated a closed ticket (满意 / 基本满意 / 不满意)
    UNDELIVERED = "undelivered"  # a message to the applicant could not be delivered (bot blocked …)
    DOCUMENT_SENT = "document_sent"  # a file sent to the applicant with a staff reply (its name only)
    # The staff console (handlers/web/staff/): accounts, settings, the guide, the report.
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_LOCKED = "sign_in_locked"  # five failures in a row: the name is locked for 15 minutes
    SIGNED_OUT = "signed_out"
    PASSWORD_SET = "password_set"
    SETTINGS_CHANGED = "settings_changed"  # the agency's details named in replies
    GUIDE_CHANGED = "guide_changed"  # a staff addition to the guide, or its undoing
    DOCUMENT_INGESTED = "document_ingested"  # a report uploaded into the knowledge base
    REPORT_PUBLISHED = "report_published"
    ADMIN_OPENED = "admin_opened"  # only ever the subject of a refusal, like listed/viewed
