"""Texts of the e-mails to web-chat applicants (bot/mail.py) and of their delivery problems."""

MAIL_SUBJECT = "【{agency}】您的政府信息公开申请（编号 {number}）有新消息"
MAIL_BUTTONS_HINT = (
    "如需{labels}，请打开网站上的在线咨询页面（用提交申请时的浏览器），在这条消息下方点击相应按钮。"
)
MAIL_LABEL = "“{label}”"
MAIL_FOOTER = (
    "——\n"
    "本邮件由{agency}政府信息公开在线咨询系统发送。同一消息已保存在网站的在线咨询对话中；"
    "凭申请编号和查询码，也可以在网站的“查询办理进度”页面查看办理情况。如有疑问，请致电 {phone}。"
)
# Why an e-mail was not delivered (the outbox row's reason; staff read it in the history and the digest).
MAIL_REFUSED = "邮件服务器拒收（{code}{detail}）"
MAIL_NO_ADDRESS = "申请人没有留电子邮箱（或已删除）"
MAIL_UNSUPPORTED = "邮件服务器不支持发送这封邮件（{detail}）"
MAIL_FAILED_STAFF = (
    "工单 {number} 的一封电子邮件未能送达申请人：{reason}，不会重发。网站对话中的同一消息不受影响；"
    "如需确认申请人已收到，请改用电话等方式联系。"
)
