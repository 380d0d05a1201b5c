"""Texts of answers, fallbacks and the knowledge commands."""

SOURCE_LINE = "（出处：{document}·{section}）"
WHICH_ONE = "您问的可能是下面几项中的一项，请选择（或者换个更具体的说法再问）："
BTN_APPLY_NOW = "在线提交申请"
NO_FIELD = "{document}没有写明{label}，这份报告没有给出这方面的信息。"
NO_FIGURES = "{document}的“{section}”部分没有列出内容，这份报告没有给出这方面的数据。"
CELL_ANSWER = "{document}表{table}中，{items}。"
CELL_ITEM = "{label}为{value}"
CELL_SUM = "；合计，{group}共 {total} 件"
CELL_LABEL = "“{row}”（{column}）"
CELL_BLANK_VALUE = "空白（报告没有填写数据）"
CELL_COUNT = "{value}件"
NEXT_STEPS = "您可以换个说法再问，也可以向工作人员咨询；如需正式获取政府信息，可以提出政府信息公开申请（问我“怎么申请政府信息公开”可查看办法）。"
FALLBACK_UNKNOWN = "抱歉，我在已收录的年度报告、《政府信息公开条例》和办事指南中没有找到能回答这个问题的内容。" + NEXT_STEPS
FALLBACK_EMPTY = "请输入您想咨询的问题，例如：“申请政府信息公开多久能答复？”"
FALLBACK_OUT_OF_SCOPE = (
    "抱歉，这个问题不属于政府信息公开的范围，我无法回答。我可以解答政府信息公开申请、年度报告数据等问题；"
    "其他政务服务事项请拨打12345政务服务便民热线咨询。"
)
FALLBACK_COMPLAINT = (
    "投诉、举报、信访等事项不属于政府信息公开申请（《条例》第三十九条），我无法受理。"
    "请拨打12345政务服务便民热线反映，或通过信访渠道提出。"
)
FALLBACK_NO_REPORT = "抱歉，我这里没有收录{missing}的政府信息公开工作年度报告，无法回答。目前收录的年度报告有：{available}。" + NEXT_STEPS
FALLBACK_AMBIGUOUS = "这个问题可能对应不同的数据，为避免答错，请说得更具体一些（例如写明年份、机关或具体项目）：{options}"
FALLBACK_TOO_LONG = "您的消息太长了（超过{limit}字）。请把问题缩短后再发送。"

INGEST_OK = "已收录：{title}（{agency}，{year}年，{passages}段）{replaced}"
INGEST_REPLACED = "，已替换同一文件的旧版本"
INGEST_FAILED = "无法收录 {path}：{reason}"
DOCUMENTS_HEADER = "已收录的文档："
DOCUMENTS_LINE = "{id:>4}  {kind}  {title}  （{agency}{year}，{passages}段{bundled}）"
DOCUMENTS_EMPTY = "尚未收录任何文档。"
FIELDS_HEADER = "== {title}（编号 {id}）"
FIELD_LINE = "{label}：{value}（{section}）"
CELL_FIELD_LINE = "表{table} {row}｜{column}：{value}{mark}（{section}）"
CELL_AMBIGUOUS_MARK = "（数字串无法唯一拆分，未采用）"
FIELD_EMPTY = "（报告未填写）"
FIELDS_NO_REPORT = "没有找到与“{selector}”对应的年度报告。请用 documents 查看已收录的文档编号和机关名称。"
DOCUMENT_KINDS = {"report": "年度报告", "regulation": "法规", "guide": "办事指南"}
BUNDLED_MARK = "，随程序附带"
WHERE_LINE = "数据库：{db}"
BATCH_UNREADABLE = "无法读取问题文件 {path}：{reason}"
CHAT_WELCOME = "您好，我是公开助手。请直接输入您关于政府信息公开的问题；输入空行或按 Ctrl-D 退出。"
CHAT_PROMPT = "> "
GREETING = "您好！我是公开助手，可以解答政府信息公开的问题，例如“申请政府信息公开多久能答复？”“2019年区政府网站发布了多少条信息？”。请直接输入您的问题。"
THANKS = "不客气！还有其他关于政府信息公开的问题，请随时问我。"
ACKNOWLEDGED = "好的。还有其他关于政府信息公开的问题，请随时问我。"
