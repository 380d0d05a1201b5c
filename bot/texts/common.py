"""Texts shared by every area: the CLI, errors."""

CLI_DESCRIPTION = "公开助手：解答政府信息公开问题、接收政府信息公开申请的机器人。"
CLI_EPILOG = (
    "默认数据库：{db}\n"
    "（可用 --db 或环境变量 DATABASE_URL 指定；直接写文件路径即为 SQLite 文件，"
    "postgresql://… 为 PostgreSQL。）"
)
CLI_DB_HELP = "数据库地址或 SQLite 文件路径，优先于环境变量 DATABASE_URL"
DB_UNAVAILABLE = "无法连接数据库（{where}）。请检查数据库是否已启动、地址是否正确，稍后再试；已收到的申请和消息不会丢失。"
GENERIC_ERROR = "操作未完成：{detail}"
CLI_CHAT_HELP = "终端对话（默认任务：SQLite、内置知识库，无需令牌或服务器）"
BAD_SETTING = "环境变量 {name} 的值“{value}”无效：应为不小于 1 的整数（工作日数）。请改正后再启动。"
