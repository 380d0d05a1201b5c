"""Texts of the conversation: citizens and staff in the terminal chat and on Telegram."""

# --- buttons ------------------------------------------------------------------------------------
BTN_ASK = "提问"
BTN_APPLY = "申请政府信息公开"
BTN_STATUS = "查询办理进度"
BTN_PRIVACY = "个人信息说明"
BTN_HELPFUL = "有帮助"
BTN_UNSOLVED = "没解决"
BTN_REPHRASE = "换个说法"
BTN_STAFF = "转人工"
BTN_SKIP = "跳过"
BTN_SUBMIT = "确认提交"
BTN_EDIT = "修改"
BTN_CANCEL = "取消"
BTN_APPROVE = "批准延期"
BTN_CORRECT = "提交补正"

# --- citizen -----------------------------------------------------------------------------------
WELCOME = (
    "您好，我是公开助手，{agency}政府信息公开的智能助手。我可以：\n"
    "· 回答政府信息公开的问题（直接输入问题即可），并注明出处；\n"
    "· 把没解决的问题转给工作人员；\n"
    "· 帮您填写并提交政府信息公开申请（/apply）；\n"
    "· 查询您的申请和咨询的办理进度（/status）。\n"
    "随时输入 /cancel 可退出当前操作，/privacy 查看个人信息说明。"
)
HELP = (
    "可用命令：\n"
    "/apply 申请政府信息公开（逐项填写，提交前可核对修改）\n"
    "/status 查询我的工单；/status 编号 查看一件\n"
    "/cancel 退出当前操作\n"
    "/privacy 个人信息说明\n"
    "直接输入问题，我会从年度报告、《条例》和办事指南中找答案。"
)
PRIVACY = (
    "个人信息说明：\n"
    "· 咨询：您最近一个问题和机器人的回答暂存在对话记录中，以便转人工；转人工后随咨询工单保存，用于工作人员答复。\n"
    "· 统计：每个问题只记录渠道、时间、机器人是否解答和匹配得分，不记录问题内容和您的身份，用于年度报告的咨询数据。\n"
    "· 机器人没能回答的问题：问题原文另行保存，用于工作人员完善解答；保存前遮盖其中的证件号码、电话号码和电子邮箱，"
    "不记录提问人和对话标识，最长保存 90 天，到期自动删除。\n"
    "· 申请：保存《政府信息公开条例》第二十九条要求的申请人姓名或名称、身份证明、联系方式、"
    "所需信息描述和获取方式，用于办理申请和依法答复。\n"
    "· 证件号码和电话只有办理人员可见，列表和工作人员消息中一律遮盖，不写入日志。\n"
    "· 填写中的申请暂存在数据库中，以便中断后继续；/cancel 即删除，超过 {form_draft_days} 天未继续填写的自动删除。\n"
    "· 消息：您发来的消息只保存编号（防止重复处理），7 天后删除；一时处理失败的消息暂存原文，处理后即删除。"
    "机器人发给您的回答在发出前先保存，以便失败时重发，7 天后删除；与申请和咨询有关的通知随工单保存。\n"
    "· 网页对话：浏览器中保存一个随机访客编号（Cookie），对话内容（您发出的消息中的证件号码、电话和电子邮箱已遮盖）"
    "按该编号保存在数据库中，以便刷新或再次访问时接着办理，每条记录保存 30 天后自动删除；"
    "网页提交的申请另有查询码，数据库只保存其摘要。\n"
    "· 电子邮件：网页提交的申请如留了电子邮箱，本机关开通邮件发送后，工作人员的答复、补正通知、办结答复等也会发到该邮箱；"
    "邮箱地址只随申请保存，发送时读取，不写入日志。"
)
ANSWER_ABSTAINED = "这个问题我没有把握回答。您可以换个说法，也可以转给工作人员，或者直接提交政府信息公开申请。"
FEEDBACK_THANKS = "谢谢您的反馈！还有其他问题可以直接问我。"
FEEDBACK_NEXT = "抱歉没能解决。您可以换个说法再问，转给工作人员，或者提交政府信息公开申请。"
REPHRASE = "请换个说法再问一次，例如写明年份、机关或具体事项。"
NO_QUESTION = "请先输入您的问题，我再把它转给工作人员。"
ESCALATED = "已转给工作人员，咨询编号 {number}。工作人员答复后会在这里通知您；也可以用 /status 查询。"
ENQUIRY_SUBJECT = "{question}\n\n（机器人的回答：{attempt}）"
CANCELLED = "已退出。还有问题可以直接问我。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。"
STATUS_EMPTY = "您还没有提交过申请或咨询。"
STATUS_HEADER = "您的工单："
STATUS_LINE = "{number} {kind}：{status}，答复期限 {due}"
STATUS_DETAIL = "工单 {number}（{kind}）\n状态：{status}\n收到日期：{received}\n答复期限：{due}\n内容：{subject}"
STATUS_NOT_YOURS = "没有找到您在本对话中提交的工单 {number}。"
UNKNOWN_COMMAND = "没有这个命令。输入 /help 查看可用命令。"
BUTTON_EXPIRED = "这个按钮已失效，请重新操作。"
RESUMED_PROMPT = "这条消息还在等您回复（输入选项编号即可）："
RESUMED = "继续您未完成的操作："
AWAY_MESSAGES = "您不在时收到的消息："

# --- the request form (第二十九条第二款) -------------------------------------------------------
FORM_INTRO = "开始填写政府信息公开申请（《政府信息公开条例》第二十九条）。共 10 项，每项填完即核对；输入 /cancel 可随时退出。"
ASK_NAME = "1. 申请人姓名或者名称："
ASK_APPLICANT_TYPE = "2. 申请人类型："
ASK_ID_KIND = "3. 身份证明类型："
ASK_ID_NUMBER = "4. 请输入{kind}号码："
ASK_PHONE = "5. 联系电话（手机或带区号的固定电话；没有可跳过）："
ASK_EMAIL = "6. 电子邮箱（没有可跳过）："
ASK_ADDRESS = "7. 通信地址（没有可跳过）："
ASK_DESCRIPTION = "8. 所需政府信息的名称、文号或者便于查询的其他特征描述："
ASK_FORM = "9. 所需信息的形式："
ASK_DELIVERY = "10. 获取信息的方式："
ID_CHECK_DIGIT = "身份证号码的最后一位（校验位）不对，可能有数字输错了，请核对后重新输入。"
ID_ORGANISATION = "法人或其他组织以统一社会信用代码作为身份证明。"
REVIEW_HEADER = "请核对您的申请："
REVIEW_LINE = "{label}：{value}"
REVIEW_FOOTER = "确认无误请提交；需要改哪一项请点“修改”。"
EDIT_WHICH = "要修改哪一项？"
# 第三十一条: the regulation fixes the day a request is received; it has no act of acceptance (受理).
RECEIPT = (
    "您的申请已收到。\n"
    "申请编号：{number}\n"
    "收到申请之日：{received}（通过互联网渠道提交的申请，以双方确认之日为收到申请之日；"
    "本回执发出之日即为确认之日，《条例》第三十一条第（三）项）\n"
    "答复期限：{due}\n"
    "计算方法：自收到申请之日的次日起算，第 20 个工作日（周末和法定节假日不计，调休上班日计入；"
    "《条例》第三十三条第二款）。需要延长的，经负责人同意最长延长 20 个工作日，届时会通知您。{provisional}"
)
# Shown after a date marked （暂定）: its year's holidays are not yet known to the bot.
PROVISIONAL_NOTE = "\n标“暂定”的日期所在年份的节假日安排尚未载入，暂按周末推算，载入后可能调整，届时以工作人员通知为准。"
FIELD_LABELS = {
    "name": "申请人",
    "applicant_type": "申请人类型",
    "id_kind": "身份证明",
    "id_number": "证件号码",
    "phone": "联系电话",
    "email": "电子邮箱",
    "address": "通信地址",
    "description": "所需信息",
    "form": "信息形式",
    "delivery": "获取方式",
}
NOT_GIVEN = "（未填）"

# --- notices to the citizen --------------------------------------------------------------------
NOTICE_REPLY = "关于工单 {number}，工作人员答复：\n{text}"
NOTICE_REPLY_FILES = "关于工单 {number}，工作人员发来文件，请查收。"
NOTICE_CORRECTION = (
    "您的申请（编号 {number}）需要补正（《条例》第三十条）：\n{matters}\n"
    "请在 {deadline} 前补正：点“提交补正”后直接输入补正内容。答复期限自收到补正之日起重新计算。{provisional}"
)
# The fee: 第四十二条 allows it, 国办函〔2020〕109号 sets it (cited as a whole: no article of it is quoted here).
# The payment days and the pause are a provincial notice's rule (fees-2020.txt, D1): said to be local.
NOTICE_FEE = (
    "您的申请（编号 {number}）需缴纳信息处理费 {amount} 元。收费依据：《条例》第四十二条、"
    "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）。\n"
    "请在 {limit} 前缴纳（收到本通知次日起 {days} 个工作日内）；缴费期间答复期限暂停计算。"
    "缴费期限和暂停计算是本机关参照省级落实文件的地方做法，不是《条例》的规定。"
    "逾期未缴纳的，本机关不再处理该政府信息公开申请。{provisional}"
)
NOTICE_EXTENSION = (
    "您的申请（编号 {number}）经负责人同意，答复期限延长 {days} 个工作日，新的答复期限为 {due}"
    "（《条例》第三十三条第二款）。{provisional}"
)
ASK_CORRECTION = "请输入对申请（编号 {number}）的补正内容："
CORRECTION_RECEIVED = "已收到您的补正（编号 {number}）。答复期限自今日起重新计算：{due}。{provisional}"

# --- staff -------------------------------------------------------------------------------------
STAFF_ONLY = "该命令仅限登记的工作人员使用。已记录本次尝试。"
STAFF_USAGE = {
    "ticket": "/ticket 编号",
    "claim": "/claim 编号",
    "reply": "/reply 编号 答复内容（Telegram 中可附文件；终端对话中在末尾加 --file 文件路径）",
    "note": "/note 编号 备注内容",
    "correction": "/correction 编号 需要补正的事项",
    "consult": "/consult 编号 [third_party|agency]",
    "consulted": "/consulted 编号",
    "extend": "/extend 编号 [天数] 理由",
    "approve": "/approve 编号",
    "fee": "/fee 编号 金额",
    "close": "/close 编号 [结果代码 [机关名称和联系方式]]",
    "withdrawn": "/withdrawn 编号",
    "report": "/report 年度",
}
USAGE = "用法：{usage}"
STAFF_HELP = (
    "工作人员命令：/queue 待办；/ticket N 详情；/claim N 认领；/reply N 内容 答复申请人；/note N 内容 内部备注；"
    "/correction N 事项 告知补正；/consult N、/consulted N 征求意见开始/结束；/extend N 理由 申请延期；"
    "/approve N 批准延期（负责人）；/fee N 金额 收费通知；/close N 办结；/withdrawn N 申请人撤回；"
    "/report 年度 年度报告表格（.xlsx）和草稿（.docx）。"
)
REPORT_USAGE = "用法：/report 年度，例如 /report {year}"
REPORT_BAD_YEAR = "“{value}”不是可以生成报告的年度：请写 {first} 至 {last} 之间的四位数字年份，例如 /report {last}。"
REPORT_SENT = "{year} 年政府信息公开工作年度报告：表格（.xlsx）和报告草稿（.docx）如下。"
REPORT_NO_DOCX = "{year} 年政府信息公开工作年度报告：表格（.xlsx）如下。报告草稿（.docx）未能生成：{reason}"
QUEUE_EMPTY = "没有未办结的工单。"
QUEUE_SECTIONS = {"overdue": "已逾期：", "due_soon": "即将到期：", "new": "新工单（未认领）：", "other": "其他办理中："}
STAFF_DONE = "工单 {number}：{status}，答复期限 {due}。"
STAFF_REPLIED = "已发送给申请人（工单 {number}）。答复不会办结工单，办结请用 /close {number}。"
STAFF_REPLIED_FILES = "已发送给申请人（工单 {number}，附文件：{names}）。答复不会办结工单，办结请用 /close {number}。"
DOCUMENT_UNREACHABLE = "文件“{name}”无法经申请人使用的渠道（{channel}）送达，答复未发送：请在该渠道附上文件，或改用邮件等方式。"
STAFF_NOTED = "已添加内部备注（工单 {number}）。"
STAFF_EXTENSION_ASKED = "已申请延期 {days} 个工作日（工单 {number}），等待负责人批准。"
CLOSE_MENU = "选择工单 {number} 的办理结果（对应年度报告表三的行）："
# One line of the /close menu: the button's name, the row of table 三 it counts in, the article (条例).
CLOSE_MENU_LINE = "· {name}：{row}〔{article}〕"
# The buttons of the /close menu: short enough for a button, distinct where codes share a row of table 三.
CLOSE_OUTCOME_NAMES = {
    "already_public": "已主动公开", "disclosed": "予以公开", "partly_disclosed": "部分公开",
    "state_secret": "国家秘密", "prohibited_by_law": "法律法规禁止公开", "security_stability": "危及三安全一稳定",
    "third_party_rights": "保护第三方权益", "internal_affairs": "内部事务信息", "process_information": "过程性信息",
    "enforcement_file": "行政执法案卷", "administrative_query": "行政查询事项", "not_held": "本机关不掌握",
    "not_this_agency": "非本机关负责公开", "needs_new_work": "需另行制作", "still_unclear": "补正后仍不明确",
    "petition_complaint": "信访举报投诉", "repeated": "重复申请", "publication": "公开出版物",
    "excessive": "大量反复申请", "confirm_or_reissue": "确认或重新出具", "correction_overdue": "逾期不补正",
    "fee_unpaid": "逾期未缴费", "withdrawn": "申请人撤回",
}
CLOSE_NEEDS_AGENCY = "请用 /close {number} not_this_agency 负责公开的机关名称和联系方式"
CLOSED_DONE = "工单 {number} 已办结，以下答复已发送给申请人：\n\n{reply}"
NEW_TICKET_STAFF = "新工单 {number}（{kind}）\n申请人：{applicant}　联系方式：{contact}\n内容：{subject}\n答复期限：{due}"

# --- the terminal chat -------------------------------------------------------------------------
TERMINAL_WELCOME = (
    "公开助手（终端对话，用户：{user}）。请输入问题或命令（/help 查看可用命令）；"
    "有选项时输入选项前的数字即可选择；空行或 Ctrl-D 退出。"
)
TERMINAL_STAFF = "以工作人员“{name}”的身份登录，可使用工作人员命令（/help 查看）。"
TERMINAL_NOT_STAFF = "“{name}”不是登记的工作人员。请管理员用 `python -m bot staff add {name} --as 管理员名称` 添加。"
TERMINAL_CHOICE = "  [{n}] {label}"
TERMINAL_DOCUMENT = "  （附件：{name}）"
TERMINAL_FILE_MISSING = "无法读取要附上的文件 {path}：{reason}。答复未发送。"
TERMINAL_DOCUMENT_SAVED = "  （附件：{name}，已保存为 {path}）"
TERMINAL_DOCUMENT_NOT_SAVED = "  （附件：{name}，未能保存：{reason}）"
CLI_CHAT_USER_HELP = "以哪个用户身份对话（默认：当前系统用户名）；同一用户名跨次运行保留申请和消息"
CLI_CHAT_STAFF_HELP = "以登记的工作人员身份对话，可使用工作人员命令"
CLI_CHAT_FILES_HELP = "收到的附件（如 /report 的报表）保存到哪个文件夹（默认：当前目录；同名文件被覆盖）"

# --- Telegram ----------------------------------------------------------------------------------
TELEGRAM_COMMANDS = {
    "start": "开始",
    "help": "帮助",
    "apply": "申请政府信息公开",
    "status": "查询办理进度",
    "cancel": "退出当前操作",
    "privacy": "个人信息说明",
}
TELEGRAM_NO_TOKEN = "未设置 TELEGRAM_BOT_TOKEN：请在环境变量中填写机器人令牌（向 @BotFather 申请）后再运行。"
TELEGRAM_BAD_TOKEN = "Telegram 拒绝了 TELEGRAM_BOT_TOKEN（令牌无效或已被撤销），请核对后再运行。"
TELEGRAM_ERROR = "无法连接 Telegram（{detail}），请检查网络或 TELEGRAM_API_BASE_URL。"
TELEGRAM_NO_STAFF_CHAT = "未设置 STAFF_CHAT_ID：新工单不会推送到工作人员群，请工作人员用命令行（tickets list）查看。"
CLI_RUN_HELP = "运行 Telegram 机器人（需要 TELEGRAM_BOT_TOKEN；默认轮询，设置 TELEGRAM_WEBHOOK_URL 则用 webhook）"
UNDELIVERED_STAFF = "工单 {number} 的一条消息未能送达申请人（可能已屏蔽机器人），请改用电话、邮件等方式联系。"
FAILED_STAFF = "工单 {number} 的一条消息未能送达申请人：Telegram 拒收（{reason}），不会重发，请改用电话、邮件等方式联系。"
STAFF_REPLY_RECORDED = (
    "答复已记入工单 {number}，但申请人不是通过对话提出的，本系统无法发送：请邮寄或当面送达。"
    "登记的联系方式：{contact}。答复不会办结工单，办结请用 /close {number}。"
)
CLOSED_RECORDED = (
    "工单 {number} 已办结。申请人不是通过对话提出的，以下答复须邮寄或当面送达（登记的联系方式：{contact}）：\n\n{reply}"
)
CONTACT_PARTS = {"address": "通信地址 {value}", "email": "电子邮箱 {value}", "phone": "电话 {value}"}
CONTACT_NONE = "未登记地址或其他联系方式，请查阅纸质材料"
WEBHOOK_NO_SECRET = (
    "webhook 模式必须设置 TELEGRAM_WEBHOOK_SECRET（Telegram 随每个请求发送的密钥，1–256 个字母、数字、_ 或 -），"
    "否则任何人都能向 webhook 伪造消息：请设置后再运行。"
)
CLI_WORKER_HELP = "只运行后台任务：发件箱的发送与重试、每日提醒、暂停期满检查、清理（不接收 Telegram 消息）"
WORKER_STARTED = "后台任务已启动（发件箱：{channels}；每日提醒 {time}）。按 Ctrl-C 停止。"
WORKER_NO_CHANNELS = "无"
WEBHOOK_LISTEN_FAILED = "无法在 {listen}:{port} 上接收 webhook（{reason}）：请检查 TELEGRAM_LISTEN、TELEGRAM_PORT 或该端口是否已被占用。"
DIGEST_FAILED = "未能送达的消息（{count} 条）："
DIGEST_FAILED_LINE = "{number}　{status}：{reason}"
DIGEST_NO_TICKET = "（对话消息）"
DIGEST_MORE = "……另有 {count} 条"
DELIVERY_STATUS_LABELS = {"failed": "被拒收", "undelivered": "已被屏蔽"}
DELIVERY_FILE_GONE = "要发送的附件文件已不存在"
DELIVERY_MIGRATED_LOOP = "群组迁移后的新编号仍被拒收"
TEMPORARY_FAILURE = "系统暂时繁忙，您的消息没有处理成功，请稍后再发一次。已提交的申请不会丢失。"
DIGEST_TITLE = "{day} 工单提醒"
DIGEST_DUE_SOON = "即将到期（{days} 个工作日内）："
DIGEST_OVERDUE = "已逾期："
DIGEST_CORRECTION = "等待申请人补正："
DIGEST_NONE = "无"
FLOOD = "您发送消息太频繁了，请稍等一分钟再发。"
RATE_PROMPT = "请评价本次办理："
RATED = "谢谢您的评价（工单 {number}）。"
