"""Texts of the annual report tables: check names, CLI help, import/export messages."""

# --- checks (name → what is checked; detail templates) ---------------------------------------

CHECK_BALANCE = "勾稽关系：第一项＋第二项＝第三项（七）总计＋第四项（{column}）"
CHECK_GROUP_SUM = "{group}等于其各子项之和"
CHECK_GRAND_TOTAL = "（七）总计等于（一）至（六）之和（{column}）"
CHECK_ROW_TOTAL = "“{row}”的总计等于六类申请人之和"
CHECK_TABLE4_TOTAL = "表四“{group}”的总计等于四种结果之和"
CHECK_NON_NEGATIVE = "没有负数"
CHECK_ALL_COUNTED = "每件申请都计入表中"
CHECK_CARRY_OVER = "上年“结转下年度继续办理”等于本年“上年结转”（{column}）"
CHECK_IN_FORCE = "{item}现行有效件数＝上年现行有效件数＋本年制发件数－本年废止件数"
CHECK_ENQUIRY_BY_BOT = "咨询：机器人解答数不超过提问数"
CHECK_ENQUIRY_RATE = "咨询：{rate}在 0 至 100% 之间"
ENQUIRY_RATE_NAMES = {"closed_rate": "办结率", "satisfaction_rate": "满意率"}
DETAIL_RATE = "{rate} = {value}"
DETAIL_RATE_OUT_OF_RANGE = "{rate} = {value}，超出 0 至 100%"
DETAIL_NOT_COMPUTABLE = "{name}无法计算（{why}）"
WHY_NO_LOG = "该年度结束时尚未开始记录提问"
WHY_NO_ESCALATED = "该年度没有转人工的咨询"
WHY_NO_RATINGS = "该年度没有评价"

DETAIL_EQUAL = "{left} ＝ {right}"
DETAIL_DIFFERENT = "{left} ≠ {right}"
DETAIL_NEGATIVE = "负数：{cells}"
DETAIL_UNMAPPED_TYPE = "{n} 件申请没有可识别的申请人类型，未计入任何一列"
DETAIL_UNMAPPED_OUTCOME = "{n} 件本年办结的申请没有可识别的办理结果，未计入任何一行"
DETAIL_NO_PREVIOUS = "{year} 年的报告尚未发布，无法核对"
DETAIL_MISSING = "缺少数值：{names}"

STATUS_LABELS_CHECK = {"pass": "通过", "fail": "不通过", "uncertain": "无法确定"}

# --- report headings ------------------------------------------------------------------------

# The template's own labels (part headings, table labels, the corner note) are in knowledge/template_labels.py.
CHECKS_TITLE = "勾稽核对"
ENQUIRIES_TITLE = "一、咨询情况"
ENQUIRY_LABELS = {
    "questions_asked": "群众提问数",
    "answered_by_bot": "机器人解答数",
    "escalated": "转人工咨询数",
    "answered_by_staff": "工作人员答复数",
    "closed_rate": "办结率",
    "satisfaction_rate": "满意率",
}
NOT_COMPUTABLE = "无法计算"
REPORT_TITLE = "{year}年政府信息公开工作年度报告（统计表，{format}年格式）"
ROW_HEADER = "项目"
DIFFERENCES_TITLE = "与已发布报告（{at}）的差异"
DIFFERENCE_LINE = "{where}：已发布 {old}，现为 {new}"
NO_DIFFERENCES = "与已发布报告一致。"
DIFFERENCE_PLACE = "位置"
DIFFERENCE_PUBLISHED = "已发布"
DIFFERENCE_NOW = "现为"
REPORT_DIFFERENCES_COUNT = "与已发布报告（{at}）相比，有 {n} 格数字不同，见报表中的“与已发布报告的差异”。"
REPORT_DIFFERENCES_NONE = "与已发布报告（{at}）一致。"
REPORT_FILE_NAME = "政府信息公开工作年度报告-{year}.{ext}"

# --- CLI --------------------------------------------------------------------------------------

CLI_REPORT_HELP = "年度报告统计表（二、三、四）"
CLI_REPORT_YEAR_HELP = "报告年度，例如 2025"
CLI_REPORT_FORMAT_HELP = "输出格式"
CLI_REPORT_OUTPUT_HELP = (
    "写入文件（- 表示标准输出）；默认：json、md、csv 输出到屏幕，xlsx、docx 写入当前文件夹的"
    "“政府信息公开工作年度报告-年度.xlsx/.docx”"
)
CLI_REPORT_FORCE_HELP = "覆盖已有的同名文件（不指定 --output 时）"
REPORT_EXISTS = "{path} 已存在，未覆盖（加 --force 覆盖，或用 --output 指定其他文件名）"
REPORT_CANNOT_WRITE = "无法写入 {path}：{reason}"
REPORT_NO_FOLDER = "文件夹不存在"
REPORT_NOT_A_FOLDER = "路径中有一部分不是文件夹"
REPORT_NO_PERMISSION = "没有写入权限"
REPORT_IS_A_FOLDER = "这是一个文件夹，请给出文件名"
REPORT_BINARY_TO_TERMINAL = "{format} 是二进制文件，不能输出到屏幕：请去掉 --output -，或用 --output 指定文件名"
CLI_REPORT_STRICT_HELP = "任一核对不通过时以状态 1 退出"
CLI_PUBLISH_HELP = "冻结本年度已发布的数字；此后工单的变化显示为差异"
CLI_IMPORT_HELP = "从登记台账（CSV 或 .xlsx）导入依申请公开记录"
CLI_EXPORT_HELP = "把某年度的依申请公开记录导出为登记台账（CSV 或 .xlsx）"
CLI_SKIP_INVALID_HELP = "只导入有效的行，列出无效的行"
REPORT_WRITTEN = "已写入 {path}"
REPORT_PUBLISHED = "已发布 {year} 年度报告的数字（{at}）。"
REPORT_FORMAT_UNAVAILABLE = "格式 {format} 尚未实现。"

# --- register import / export --------------------------------------------------------------

REGISTER_HEADERS = {
    "register_no": "登记编号",
    "received_on": "收到日期",
    "applicant_type": "申请人类型",
    "subject": "申请内容",
    "closed_on": "办结日期",
    "outcome": "办理结果",
}
IMPORT_LINE_ERROR = "第 {line} 行：{reason}"
IMPORT_MISSING_HEADER = "缺少必需的列：{names}"
IMPORT_UNKNOWN_HEADER = "无法识别的列：{names}"
IMPORT_BAD_DATE = "{field}“{value}”不是 YYYY-MM-DD 格式的日期"
IMPORT_BAD_TYPE = "申请人类型“{value}”不是 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他 之一"
IMPORT_BAD_OUTCOME = "办理结果“{value}”无法识别（请写组名，或“组名：项名”，或结果代码）"
IMPORT_EMPTY_SUBJECT = "申请内容为空"
IMPORT_CLOSED_WITHOUT_OUTCOME = "有办结日期但没有办理结果"
IMPORT_OUTCOME_WITHOUT_CLOSED = "有办理结果但没有办结日期"
IMPORT_CLOSED_BEFORE_RECEIVED = "办结日期早于收到日期"
IMPORT_FUTURE_DATE = "{field}“{value}”晚于今天"
IMPORT_DUPLICATE_NO = "登记编号“{value}”在文件中重复"
IMPORT_CELL_COUNT = "这一行有 {cells} 格，表头有 {columns} 列"
IMPORT_CELL_COUNT_CSV = "（逗号多了或少了？含逗号或换行的内容要用英文双引号括起来）"
IMPORT_BAD_FILE = "无法读取文件 {path}：{reason}"
IMPORT_REFUSED = "文件中有 {n} 行无效，未导入任何记录（可加 --skip-invalid 只导入有效的行）："
IMPORT_SKIPPED = "以下 {n} 行无效，已跳过："
IMPORT_DONE = "导入完成：新增 {added} 件，更新 {updated} 件，未变 {unchanged} 件。"
EXPORT_DONE = "已导出 {n} 件申请到 {path}"
IMPORTED_SOURCE = "登记台账导入"

# --- table 二 entered by staff --------------------------------------------------------------

TABLE2_UNKNOWN_CELL = "表二没有“{item} {field}”这一格（见 python -m bot report set --help）"
TABLE2_BAD_VALUE = "“{value}”不是这一格可以填写的数值"
TABLE2_SET = "已记录 {year} 年表二“{item} / {field}”：{value}"
CLI_SET_HELP = "录入表二（主动公开）的一格：ITEM FIELD VALUE"
IMPORT_REOPEN = "这件申请已办结，台账中却没有办结日期（已办结的申请不能改回办理中）"
CLI_REPORT_YEAR_REQUIRED = "请用 --year 指定报告年度"

# --- chart and report draft -----------------------------------------------------------------

CHART_FONT_MISSING = (
    "没有可显示中文的字体，无法生成图表（否则中文会显示为方框）。请安装其中之一：{fonts}"
    "（Debian/Ubuntu：sudo apt-get install fonts-wqy-microhei）。安装后重新运行即可，无需其他设置。"
)
CHART_TITLE = "{year}年政府信息公开申请按月收到与办结情况"
CHART_RECEIVED = "收到申请"
CHART_CLOSED = "办结：{group}"
CHART_MONTH = "{m}月"
CHART_Y = "件数"
DRAFT_TITLE = "{agency}{year}年政府信息公开工作年度报告"
DRAFT_INTRO = "（草稿：表格由系统根据工单生成，文字部分请工作人员撰写。）"
DRAFT_TO_WRITE = "【待撰写】"
DRAFT_ENQUIRIES = (
    "咨询：群众提问 {asked} 个，机器人解答 {by_bot} 个；转人工 {escalated} 件，工作人员答复 {answered} 件，"
    "办结率 {rate}，满意率 {satisfaction}。"
)
DRAFT_CHART_CAPTION = "图：{year}年按月收到与办结的政府信息公开申请"
DRAFT_CHECKS = "勾稽核对：通过 {passed} 项，不通过 {failed} 项，无法确定 {uncertain} 项。"
