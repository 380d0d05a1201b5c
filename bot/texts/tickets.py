"""Texts of tickets: labels of the codes, errors, the closing reply, the CLI."""

# --- labels of stored codes -------------------------------------------------------------------

KIND_LABELS = {"enquiry": "咨询", "disclosure_request": "政府信息公开申请"}

STATUS_LABELS = {
    "received": "已收到",  # 第三十一条: a request is received; the regulation has no act of 受理
    "awaiting_correction": "待补正",
    "in_consultation": "征求意见中",
    "awaiting_fee": "待缴信息处理费",
    "extended": "已延期",
    "closed": "已办结",
}

CHANNEL_LABELS = {
    "telegram": "Telegram",
    "terminal": "终端对话",
    "counter": "当面",
    "post": "邮寄",
    "fax": "传真",
    "email": "电子邮件",
    "website": "网站",
    "web": "网页对话",
}

# 第三十一条: what counts as the day of receipt, by channel (shown to staff registering a request).
RECEIPT_RULES = {
    "telegram": "以双方确认之日为收到申请之日（机器人发出收到回执之日）",
    "terminal": "以双方确认之日为收到申请之日（机器人发出收到回执之日）",
    "counter": "以提交之日为收到申请之日",
    "post": "以签收之日为收到申请之日；平常信函以与申请人确认之日为准",
    "fax": "以双方确认之日为收到申请之日",
    "email": "以电子邮件系统接收之日为收到申请之日",
    "website": "以双方确认之日为收到申请之日",
    "web": "以双方确认之日为收到申请之日（机器人发出收到回执之日）",
}

APPLICANT_TYPE_LABELS = {
    "natural_person": "自然人",
    "commercial": "法人或其他组织：商业企业",
    "research": "法人或其他组织：科研机构",
    "public_interest": "法人或其他组织：社会公益组织",
    "legal_services": "法人或其他组织：法律服务机构",
    "other_org": "法人或其他组织：其他",
}

ID_KIND_LABELS = {
    "resident_id": "居民身份证",
    "uscc": "统一社会信用代码",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "foreign_permanent_resident": "外国人永久居留身份证",
}

FORM_LABELS = {"paper": "纸质", "electronic": "电子"}
DELIVERY_LABELS = {"post": "邮寄", "email": "电子邮件", "pickup": "当面领取", "chat": "在对话中发送"}
PAUSE_LABELS = {"third_party": "征求第三方意见", "agency": "征求其他机关意见", "fee": "信息处理费"}
ROLE_LABELS = {"staff": "工作人员", "supervisor": "负责人", "admin": "管理员"}
REMEDY_KIND_LABELS = {
    "review": "行政复议",
    "lawsuit_direct": "行政诉讼（未经复议直接起诉）",
    "lawsuit_after_review": "行政诉讼（复议后起诉）",
}
REMEDY_RESULT_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}

ACTION_LABELS = {
    "created": "登记",
    "claimed": "认领",
    "assigned": "指派",
    "note": "内部备注",
    "replied": "答复申请人",
    "correction_requested": "告知补正",
    "correction_received": "收到补正",
    "consultation_started": "开始征求意见",
    "consultation_ended": "征求意见结束",
    "fee_notice_sent": "发出收费通知",
    "fee_paid": "已缴费",
    "extension_requested": "申请延期",
    "extension_approved": "批准延期",
    "closed": "办结",
    "remedy_recorded": "登记复议/诉讼",
    "remedy_decided": "复议/诉讼结果",
    "revealed": "查看完整身份信息",
    "denied": "无权操作被拒绝",
    "due_recomputed": "重新计算答复期限",
    "staff_added": "添加工作人员",
    "staff_removed": "移除工作人员",
    "calendar_loaded": "载入节假日安排",
    "undelivered": "消息未能送达申请人",
    "document_sent": "向申请人发送文件",
    "rated": "申请人评价",
    "listed": "查看列表",
    "viewed": "查看工单",
    "signed_in": "登录工作台",
    "sign_in_failed": "登录失败",
    "sign_in_locked": "连续登录失败，暂时锁定",
    "signed_out": "退出工作台",
    "password_set": "设置密码",
    "settings_changed": "修改机关信息",
    "guide_changed": "修改办事指南",
    "document_ingested": "收录文档",
    "report_published": "发布年度报表",
    "admin_opened": "打开管理页面",
}

ENQUIRY_OUTCOME_LABELS = {"answered": "已答复", "referred": "已引导至相应渠道", "withdrawn": "已撤回"}

# --- errors ------------------------------------------------------------------------------------

TICKET_NOT_FOUND = "没有编号为 {number} 的工单。"
INVALID_TICKET_NUMBER = "工单编号“{number}”格式不对，应为“年份-序号”，例如 2026-000123。"
ILLEGAL_TRANSITION = "工单不能从“{src}”（{src_code}）转为“{dst}”（{dst_code}）。"
PERMISSION_DENIED = "“{actor}”无权进行此操作（需要{role}身份）。已记录本次尝试。"
INVALID_CODE = "{what}“{value}”无效。"
DATE_IN_FUTURE = "日期 {day} 晚于今天。"
DATE_TOO_EARLY = "日期 {day} 早于 {earliest}。"
INVALID_ID = "{kind}号码不正确，请核对。"
ID_KIND_MISMATCH = "自然人请提供个人身份证件；法人或其他组织请提供统一社会信用代码。"
INVALID_PHONE = "电话号码格式不正确（手机 11 位，固定电话请带区号，境外号码以 + 开头）。"
INVALID_EMAIL = "电子邮箱地址格式不正确。"
INVALID_ADDRESS = "通信地址太短或太长。"
CONTACT_REQUIRED = "请至少提供一种联系方式：电话、通信地址或电子邮箱（条例第二十九条）。"
DELIVERY_NEEDS_CONTACT = "选择邮寄需提供通信地址，选择电子邮件需提供电子邮箱。"
NAME_REQUIRED = "请填写申请人姓名或者名称。"
DESCRIPTION_REQUIRED = "请描述所申请公开的政府信息（名称、文号或者便于查询的其他特征）。"
QUESTION_REQUIRED = "咨询内容不能为空。"
TEXT_REQUIRED = "内容不能为空。"
CHAT_ID_RULE = "Telegram 和终端对话渠道须提供对话标识，其他渠道不提供。"
INVALID_STAFF_NAME = "工作人员标识须为不含空格的 Telegram 用户 ID 或本地用户名（最多 64 个字符）。"
STAFF_NOT_FOUND = "“{name}”不是工作人员。"
LAST_ADMIN = "“{name}”是唯一的管理员，不能移除或改为其他身份；请先把另一位工作人员设为管理员（--role admin）。"
ALREADY_ASSIGNED = "该工单已由“{assignee}”办理；如需转交请使用“指派”。"
TICKET_CLOSED = "工单 {number} 已办结。"
NOT_YOUR_TICKET = "工单 {number} 不是在本对话中提交的。"
UNKNOWN_OUTCOME = "没有“{code}”这一办理结果。可用 `tickets outcomes` 查看。"
OUTCOME_WHILE_WAITING = "待补正或待缴费期间只能以逾期未补正、逾期未缴费或申请人撤回办结。"
CORRECTION_ONCE = "补正只能告知一次（条例第三十条：一次性告知）。"
CORRECTION_TOO_LATE = "已超过告知补正的期限：须在收到申请之日起 7 个工作日内（最迟 {limit}）告知（条例第三十条）。"
CORRECTION_MATTERS_REQUIRED = "请说明需要补正的事项（条例第三十条）。"
CORRECTION_NOT_OVERDUE = "补正期限尚未届满，不能以“逾期不补正”办结。"
FEE_NOT_OVERDUE = "缴费期限尚未届满，不能以“逾期未缴费”办结。"
STILL_UNCLEAR_NEEDS_CORRECTION = "只有收到补正后的申请仍不明确时才能以“补正后申请内容仍不明确”办结。"
AGENCY_REQUIRED = "不属于本机关负责公开的，请写明负责公开的行政机关名称和联系方式（条例第三十六条第（五）项）。"
INVALID_AMOUNT = "收费金额须为正数（元）。"
EXTENSION_ONCE = "答复期限只能延长一次（条例第三十三条）。"
EXTENSION_DAYS = "延长的期限为 1 至 {max} 个工作日（条例第三十三条）。"
EXTENSION_REASON_REQUIRED = "请说明延期理由。"
EXTENSION_NOT_REQUESTED = "该工单没有待批准的延期申请。"
EXTENSION_TOO_LATE = "答复期限（{due}）已过，不能再延期（条例第三十三条：延期须在期限内经负责人同意）。"
REMEDY_NOT_FOUND = "没有编号为 {id} 的复议或诉讼记录。"
REMEDY_RESULT_RULE = "已审结的须同时填写审结日期和结果；尚未审结的不填审结日期。"
UNKNOWN_CALENDAR = "不支持节假日日历“{name}”（目前只有 CN：中国大陆法定节假日）。"
HOLIDAY_FILE_ERRORS = {
    "no_year": "节假日文件没有“year 年份”行。",
    "bad_year": "第 {line} 行：年份行应为“year 2027”：{detail}",
    "bad_line": "第 {line} 行：应为“日期[..日期] 休|班 [说明]”：{detail}",
    "bad_date": "第 {line} 行：日期应为 YYYY-MM-DD：{detail}",
    "bad_range": "第 {line} 行：日期范围不对（结束早于开始或超过 31 天）：{detail}",
    "not_declared": "第 {line} 行：{detail} 年没有用“year {detail}”声明。",
    "not_weekend": "第 {line} 行：{detail} 是星期{weekday}，调休上班日（班）只能是星期六或星期日。",
    "both": "第 {line} 行：{detail} 已在第 {other} 行列出，一天不能既是休息日（休）又是调休上班日（班）。",
    "empty_year": "第 {line} 行：{detail} 年没有任何日期行。只有年份行的文件不会载入，否则会清空该年的节假日安排。",
}
WEEKDAY_LABELS = "一二三四五六日"
# Why a holiday file could not be read, by the kind of error (never the exception's own English text).
HOLIDAY_FILE_REASONS = {
    "FileNotFoundError": "文件不存在",
    "IsADirectoryError": "这是一个文件夹，不是文件",
    "PermissionError": "没有读取该文件的权限",
    "UnicodeDecodeError": "文件不是 UTF-8 编码的文本，请另存为 UTF-8 后再载入",
}
HOLIDAY_FILE_REASON_OTHER = "无法打开该文件"

FIELD_APPLICANT_TYPE = "申请人类型"
FIELD_ID_KIND = "身份证明类型"
FIELD_DELIVERY = "获取方式"
FIELD_FORM = "信息形式"
FIELD_CHANNEL = "渠道"
FIELD_PARTY = "征求意见对象"
FIELD_KIND = "工单类型"
FIELD_STATUS = "状态"
FIELD_REMEDY_KIND = "复议或诉讼类型"
FIELD_REMEDY_RESULT = "审结结果"
FIELD_RATING = "评价"
FIELD_ROLE = "身份"
ALREADY_RATED = "工单 {number} 已经评价过了，谢谢。"
RATING_LABELS = {"satisfied": "满意", "mostly": "基本满意", "unsatisfied": "不满意"}

# --- the closing reply to the applicant ---------------------------------------------------------

APPLICANT = "申请人"
REPLY_HEADER = "{name}：\n您于{received}向{agency}提出的政府信息公开申请（编号 {number}）已办理完毕，现答复如下："
REPLY_BASIS = "依据：《中华人民共和国政府信息公开条例》{article}。"
OUTCOME_DECISIONS = {
    "already_public": "您申请获取的政府信息已经主动公开，本机关已告知您获取该信息的方式和途径。",
    "disclosed": "您申请获取的政府信息可以公开，本机关予以公开，向您提供该信息或者告知获取的方式、途径和时间。",
    "partly_disclosed": (
        "您申请获取的信息中含有不应当公开或者不属于政府信息的内容，本机关作区分处理："
        "向您提供可以公开的部分，并对不予公开的部分说明理由。"
    ),
    "state_secret": "您申请获取的信息依法确定为国家秘密，本机关决定不予公开。",
    "prohibited_by_law": "您申请获取的信息属于法律、行政法规禁止公开的政府信息，本机关决定不予公开。",
    "security_stability": "您申请获取的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开。",
    "third_party_rights": "您申请获取的信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关决定不予公开。",
    "internal_affairs": "您申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，本机关决定不予公开。",
    "process_information": "您申请获取的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，本机关决定不予公开。",
    "enforcement_file": "您申请获取的信息属于行政执法案卷信息，本机关决定不予公开。",
    "administrative_query": (
        "您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对其获取有特别规定，"
        "请依照有关法律、行政法规的规定办理。"
    ),
    "not_held": "经检索，本机关没有您申请公开的信息，该政府信息不存在。",
    "not_this_agency": "您申请公开的信息不属于本机关负责公开。负责公开该信息的行政机关：{agency}。请向该机关提出申请。",
    "needs_new_work": "您申请的信息需要本机关对现有政府信息进行加工、分析才能形成，本机关不予提供。",
    "still_unclear": "您补正后的申请内容仍不明确，本机关无法据此提供政府信息。",
    "petition_complaint": (
        "您以政府信息公开申请的形式提出的是信访、投诉、举报等事项，本机关不作为政府信息公开申请处理，"
        "请通过信访、投诉、举报等相应渠道提出。"
    ),
    "repeated": "本机关已就您的政府信息公开申请作出答复，您重复申请公开相同的政府信息，本机关不予重复处理。",
    "publication": "您要求提供的是政府公报、报刊、书籍等公开出版物，请通过出版发行单位、公共图书馆等途径获取。",
    "excessive": "您申请公开政府信息的数量、频次明显超过合理范围，且所说明的理由不合理，本机关不予处理。",
    "confirm_or_reissue": "您要求本机关确认或者重新出具已经获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理。",
    "correction_overdue": (
        "本机关已于{asked}一次性告知您补正申请内容，您未在补正期限（{deadline}）内补正，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。"
    ),
    "fee_unpaid": "您未在收费通知规定的期限内缴纳信息处理费，本机关不再处理该政府信息公开申请。",
    "withdrawn": "您已撤回本次政府信息公开申请，本机关不再处理。",
}
# Remedies (replies.remedies_text). 行政复议法第二十条: review within 60 days; 行政诉讼法第四十六条: a
# direct suit within 6 months; 第四十五条: a suit within 15 days of the review decision.
# 行政复议法第二十三条第一款第（四）项 (since 2024-01-01): 不予公开 goes to review first.
REMEDY_REVIEW_FIRST = (
    "如对本答复不服，您可以自收到本答复之日起六十日内向{review_body}申请行政复议"
    "（《中华人民共和国行政复议法》第二十条）。《中华人民共和国行政复议法》第二十三条第一款第（四）项规定，"
    "申请政府信息公开，行政机关不予公开的，申请人应当先向行政复议机关申请行政复议。{withheld}，"
    "对此类答复须先申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内"
    "向{court}提起行政诉讼（《中华人民共和国行政诉讼法》第四十五条）。"
)
REMEDY_WITHHELD = "本答复决定不予公开"
REMEDY_WITHHELD_PART = "本答复对您申请的部分信息不予公开"
REMEDY_REVIEW_OR_LAWSUIT = (
    "如对本答复不服，您可以自收到本答复之日起六十日内向{review_body}申请行政复议"
    "（《中华人民共和国行政复议法》第二十条），也可以自收到本答复之日起六个月内向{court}提起行政诉讼"
    "（《中华人民共和国行政诉讼法》第四十六条）。"
)
# 无法提供, 不予处理, 其他处理: courts differ on whether 第二十三条 reaches them. Quote the rule; never "须".
REMEDY_RULE_QUOTED = (
    "《中华人民共和国行政复议法》第二十三条第一款第（四）项规定，申请政府信息公开，行政机关不予公开的，"
    "申请人应当先向行政复议机关申请行政复议，对行政复议决定不服的，可以再依法向人民法院提起行政诉讼。"
    "该项规定是否适用于本答复，法律没有逐项列明，各地法院的认识也不一致，请您自行判断，必要时咨询律师。"
    "先申请行政复议的，对行政复议决定不服，仍可以自收到行政复议决定书之日起十五日内向{court}提起行政诉讼"
    "（《中华人民共和国行政诉讼法》第四十五条）。"
)
REPLY_SIGNATURE = "{agency}\n地址：{address}　电话：{phone}　电子邮箱：{email}\n{day}"
ENQUIRY_CLOSED = "您的咨询（编号 {number}）已办结："
ENQUIRY_OUTCOMES = {
    "answered": "工作人员已答复您的问题。",
    "referred": "请按工作人员的指引，通过相应渠道办理或者提出政府信息公开申请。",
    "withdrawn": "您已撤回本次咨询。",
}

# --- command line -------------------------------------------------------------------------------

CLI_TICKETS_HELP = "工单：登记、查看和办理咨询与政府信息公开申请"
CLI_STAFF_HELP = "管理工作人员、负责人和管理员"
CLI_DEADLINE_HELP = "计算答复期限：收到申请之日后的第 N 个工作日（默认 20）"
CLI_HOLIDAYS_HELP = "载入某年的节假日安排（chinese-calendar 尚未收录的年份；管理员操作）"
CLI_AS_HELP = "以哪位工作人员的身份操作（默认：环境变量 GONGKAI_STAFF，否则为当前系统用户名）"
CLI_RECEIVED_HELP = "收到申请之日 YYYY-MM-DD（默认今天）。条例第三十一条：" + "；".join(
    f"{CHANNEL_LABELS[c]}{rule}" for c, rule in RECEIPT_RULES.items() if c not in ("telegram", "terminal")
)
CLI_ON_HELP = "发生日期 YYYY-MM-DD（默认今天）"
LIST_EMPTY = "没有符合条件的工单。"
LIST_HEADER = "编号        类型      状态          答复期限              承办人    申请人    联系方式"
LIST_LINE = "{number}  {kind}  {status}  {due}  {assignee}  {applicant}  {contact}"
DUE_NONE = "—"
DUE_PROVISIONAL = "（暂定）"
DUE_OVERDUE = "【已逾期】"
DUE_SOON = "【即将到期】"
UNASSIGNED = "未指派"
SHOW_TITLE = "工单 {number}（{kind}，{channel}）  状态：{status}"
SHOW_LINE = "{label}：{value}"
SHOW_HISTORY = "办理记录："
SHOW_EVENT = "  {at}  {actor}  {action}{move}{data}"
SHOW_REVEALED = "（已显示完整身份信息；本次查看已记录）"
SHOW_LABELS = {
    "subject": "内容",
    "received_on": "收到申请之日",
    "due_on": "答复期限",
    "assignee": "承办人",
    "applicant": "申请人",
    "applicant_type": "申请人类型",
    "id_kind": "身份证明",
    "id_number": "证件号码",
    "phone": "电话",
    "email": "电子邮箱",
    "address": "通信地址",
    "form": "信息形式",
    "delivery": "获取方式",
    "correction_asked_on": "告知补正日期",
    "correction_deadline_on": "补正期限",
    "corrected_on": "收到补正日期",
    "extension_days": "已延长工作日",
    "extension_requested_days": "待批准延期工作日",
    "referred_agency": "负责公开的机关",
    "closed_on": "办结日期",
    "outcome": "办理结果",
    "chat_id": "对话标识",
}
SHOW_PAUSE = "  {kind}：{start} 起，期限 {limit}，{end}"
SHOW_PAUSE_OPEN = "尚未结束"
SHOW_PAUSE_ENDED = "{end} 结束"
SHOW_REMEDY = "  #{id} {kind}：{filed} 提出，{result}{decided}"
TICKET_CREATED = "已登记工单 {number}，答复期限 {due}。"
REQUEST_CREATED = "已登记工单 {number}：已收到申请，收到申请之日 {received}（{rule}，条例第三十一条），答复期限 {due}。"
TICKET_UPDATED = "工单 {number}：{status}，答复期限 {due}。"
TICKET_REPLY = "以下答复将发送给申请人：\n\n{text}"
REMEDY_SAVED = "已登记复议/诉讼记录 #{id}（工单 {number}）。"
OUTCOMES_LINE = "{code:<22} {row}  〔{article}〕"
OUTCOMES_ENQUIRY = "咨询的办结结果："
NO_ARTICLE = "条例无直接条文"
STAFF_LINE = "{name}  {role}"
STAFF_EMPTY = "尚未添加工作人员。用 `python -m bot staff add 名称` 添加：第一位添加的即为管理员。"
STAFF_SAVED = "已保存：{name}（{role}）。"
STAFF_FIRST_ADMIN = (
    "已保存：{name}（管理员）。数据库中原来没有管理员，第一位添加的即为管理员{asked}。"
    "此后只有管理员可以添加、移除工作人员或修改其身份，载入节假日安排也须由管理员进行"
    "（用 --as 管理员名称，或设置环境变量 GONGKAI_STAFF）。"
)
STAFF_FIRST_ADMIN_ASKED = "（而不是所写的“{role}”）"
STAFF_REMOVED = "已移除：{name}。"
DEADLINE_LINE = "收到申请之日 {received}，第 {days} 个工作日：{due}{provisional}"
DEADLINE_PROVISIONAL_NOTE = "（暂定：{years} 年的节假日安排尚未载入，只按周末计算）"
HOLIDAYS_LOADED = "已载入 {years} 年节假日安排；重新计算了 {count} 件未办结工单的答复期限。"
HOLIDAYS_KNOWN_YEAR = "{year} 年已有节假日安排，用文件替换后的改动："
HOLIDAYS_SAME = "{year} 年已有节假日安排，文件与之相同，没有改动。"
HOLIDAY_CHANGE_LINES = {
    "holidays_removed": "  不再休息（恢复为工作日或普通周末）：{days}",
    "holidays_added": "  新增休息日：{days}",
    "workdays_removed": "  不再调休上班：{days}",
    "workdays_added": "  新增调休上班日：{days}",
}
HOLIDAYS_DAYS = "{days}（{count} 天）"
HOLIDAYS_NEED_REPLACE = (
    "没有载入：{years} 年已有节假日安排，文件会替换该年的全部安排（文件中没有列出的日子不再算节假日或调休）。"
    "核对以上改动无误后，加 --replace 重新运行。"
)
HOLIDAYS_REPLACED = "已替换 {years} 年原有的节假日安排。"
HOLIDAY_FILE_UNREADABLE = "无法读取节假日文件 {path}：{reason}"
SWEEP_DONE = "已结束 {count} 件征求意见期满的工单的暂停计时。"
EVENT_DATA_LABELS = {
    "due": "答复期限", "provisional": "期限暂定", "kind": "类型", "channel": "渠道", "received": "收到日期",
    "assignee": "承办人", "previous": "原承办人", "text": "内容", "notify": "须告知申请人",
    "matters": "补正事项", "days": "工作日数", "deadline": "补正期限", "deadline_provisional": "补正期限暂定",
    "late": "逾期补正", "party": "对象", "started": "开始", "limit": "期限", "limit_provisional": "期限暂定",
    "ended": "结束",
    "expired": "期满自动结束", "amount": "金额（元）", "paid": "缴费日期", "reason": "理由",
    "outcome": "办理结果", "closed": "办结日期", "record": "记录", "filed": "提出日期",
    "decided": "审结日期", "result": "结果", "action": "操作", "role": "身份", "name": "名称",
    "years": "年份", "old": "原期限", "old_provisional": "原期限暂定", "file": "文件",
    "first_admin": "首位管理员", "replaced": "替换已有安排的年份",
    "until": "锁定至", "keys": "修改的项目", "edit": "修改编号", "entry": "指南条目", "undone": "撤销",
    "title": "标题", "year": "年度", "agency": "机关", "locked": "已锁定", "for": "对象",
}
DATE_FORMAT = "日期“{value}”格式不对，应为 YYYY-MM-DD。"
ID_NUMBER_PROMPT = "证件号码（输入时不显示）："
CLI_LIST_HELP = "列出工单（证件号码和电话已遮盖）"
CLI_SHOW_HELP = "查看一件工单及其办理记录"
CLI_REVEAL_HELP = "显示完整的证件号码和电话（本次查看会被记录）"
CLI_NEW_HELP = "登记信件、当面、传真、电子邮件、网站等渠道收到的申请或咨询"
CLI_ID_NUMBER_HELP = "证件号码；写 - 则在提示符下输入（不进入命令行历史）"
CLI_CLAIM_HELP = "认领工单"
CLI_ASSIGN_HELP = "把工单指派给某位工作人员"
CLI_NOTE_HELP = "添加内部备注（申请人看不到）"
CLI_REPLY_HELP = "给申请人发一条答复或说明"
CLI_CORRECTION_HELP = "告知申请人补正（收到申请后 7 个工作日内，只能一次，条例第三十条）"
CLI_CORRECTION_DAYS_HELP = "补正期限（工作日，默认取设置 CORRECTION_DAYS）"
CLI_CORRECTED_HELP = "登记收到补正后的申请（答复期限从该日重新起算）"
CLI_CONSULT_HELP = "开始征求第三方或其他机关意见（暂停计时，最长 15 个工作日）"
CLI_CONSULTED_HELP = "征求意见结束（恢复计时）"
CLI_FEE_HELP = (
    "发出信息处理费收费通知（收费依据：条例第四十二条、国办函〔2020〕109号；"
    "缴费期限和缴费期间暂停计时为参照省级落实文件的地方做法）"
)
CLI_PAID_HELP = "登记已缴费（恢复计时）"
CLI_EXTEND_HELP = "申请延长答复期限（最长 20 个工作日，只能一次，须负责人批准）"
CLI_APPROVE_HELP = "负责人批准延期申请"
CLI_CLOSE_HELP = "以办理结果办结工单，并生成给申请人的答复"
CLI_OUTCOME_HELP = "办理结果代码（用 `tickets outcomes` 查看）"
CLI_AGENCY_HELP = "不属于本机关负责公开时，负责公开的机关名称和联系方式"
CLI_REMEDY_HELP = "登记与工单有关的行政复议或行政诉讼"
CLI_REMEDY_RESULT_HELP = "登记行政复议或行政诉讼的审结结果"
CLI_OUTCOMES_HELP = "列出办理结果代码及其对应的条文和年报表格行"
CLI_SWEEP_HELP = "结束已满 15 个工作日的征求意见（恢复计时）"
CLI_STAFF_ADD_HELP = "添加工作人员或修改其身份（管理员操作；数据库中还没有管理员时，第一位添加的即为管理员）"
CLI_ROLE_HELP = "身份：staff 工作人员；supervisor 负责人（批准延期）；admin 管理员（管理工作人员、载入节假日安排）"
CLI_STAFF_REMOVE_HELP = "移除工作人员（管理员操作）"
CLI_STAFF_LIST_HELP = "列出工作人员"
CLI_HOLIDAYS_LOAD_HELP = (
    "从文件载入节假日安排并重新计算未办结工单的答复期限（管理员操作；文件格式见 docs/tickets.md）"
)
CLI_REPLACE_HELP = "替换已有安排的年份（chinese-calendar 已收录或此前载入过的年份）；不加则只显示改动，不载入"
NOT_IN_STATUS = "工单 {number} 当前为“{status}”，不是“{expected}”，不能进行此操作。"
