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
DB_BUSY = (
    "数据库正被另一个程序占用（{where}），等待后仍未释放，本次操作没有完成。请稍后再试；"
    "如一直如此，请检查是否有其他程序（正在运行的机器人、另一条命令）长时间占用该数据库。"
)
DB_NEWER = (
    "数据库（{where}）的结构版本是 {revision}，本程序不认识这个版本：它可能由更新版本的公开助手创建或升级过。"
    "请把公开助手升级到相同或更新的版本后再试；本次没有修改数据库。"
)
DB_SCHEMA = (
    "数据库（{where}）缺少本程序需要的表或列：数据库结构与程序版本不一致。请用与数据库相同版本的公开助手，"
    "或联系维护人员检查数据库迁移；本次操作没有完成。"
)
DB_REFUSED = "数据库拒绝保存本次操作：某项内容过长或不符合要求。请检查输入后再试；本次操作没有保存任何内容。"
UNEXPECTED_ERROR = (
    "程序内部出错（{kind}），本次操作没有完成。请把所用的命令告诉维护人员；"
    "设置环境变量 LOG_LEVEL=DEBUG 再运行一次可看到详细信息。"
)
# Why a setting is refused, by what it should be (bot.settings.SettingsError.expected).
BAD_SETTINGS = {
    "working_days": "环境变量 {name} 的值“{value}”无效：应为不小于 1 的整数（工作日数）。请改正后再启动。",
    "port": "环境变量 {name} 的值“{value}”无效：应为端口号（不小于 1 的整数）。请改正后再启动。",
    "log_level": "环境变量 {name} 的值“{value}”无效：应为 DEBUG、INFO、WARNING、ERROR 或 CRITICAL。请改正后再启动。",
    "count": "环境变量 {name} 的值“{value}”无效：应为整数（天数、年数、条数或秒数，见 README）。请改正后再启动。",
    "time": "环境变量 {name} 的值“{value}”无效：应为 24 小时制的时刻 HH:MM，例如 09:00。请改正后再启动。",
    "switch": "环境变量 {name} 的值“{value}”无效：应为 1 或 0（开或关）。请改正后再启动。",
    "smtp": (
        "环境变量 {name} 的值“{value}”无效：应为 smtp://[用户名:密码@]主机[:端口][?starttls=1]"
        "（明文或 STARTTLS）或 smtps://[用户名:密码@]主机[:端口]（TLS），可加 timeout=秒数；"
        "用户名、密码中的特殊字符须按网址编码（@ 写作 %40）。请改正后再启动。"
    ),
    "smtp_clear_password": (
        "环境变量 {name} 的值“{value}”不安全：带用户名和密码的 smtp:// 须加 ?starttls=1，或改用 smtps://，"
        "密码才不会明文传输（只有本机的邮件服务器可以不加密）。请改正后再启动。"
    ),
    "mailbox": "环境变量 {name} 的值“{value}”无效：应为电子邮箱地址，可带名称，例如 鹤城区人民政府 <xxgk@example.gov.cn>。请改正后再启动。",
    "database": (
        "不支持数据库地址“{value}”（{name}）：只支持 SQLite（文件路径，或 sqlite:///文件路径）"
        "和 PostgreSQL（postgresql://用户@主机/数据库名）。"
    ),
}
# A refusal on the command line says how to act as someone else.
PERMISSION_HINT = "当前操作人“{actor}”取自{source}。请用 --as NAME 指定已登记的工作人员，或设置环境变量 GONGKAI_STAFF。"
ACTOR_SOURCES = {"option": "命令行参数 --as", "setting": "环境变量 GONGKAI_STAFF", "login": "系统登录名"}
ACTOR_INVALID = "操作人名称“{name}”无效：应为 1 到 64 个字符，不含控制字符。"
DATE_OUT_OF_RANGE = "日期“{value}”超出范围：应在 {earliest}（《条例》施行之日）到 {latest} 之间。"
DAYS_OUT_OF_RANGE = "工作日数“{value}”无效：应为 0 到 {most} 之间的整数。"
# Why a file could not be read, by the kind of error (never the exception's own English text).
FILE_REASONS = {
    "FileNotFoundError": "文件不存在",
    "IsADirectoryError": "这是一个文件夹，不是文件",
    "NotADirectoryError": "路径中有一段不是文件夹",
    "PermissionError": "没有读取该文件的权限",
}
FILE_REASON_OTHER = "无法打开该文件"

# The command line's own messages (argparse's, in Chinese: bot/cli_args.py).
ARG_USAGE = "用法："
ARG_POSITIONALS = "参数"
ARG_OPTIONALS = "选项"
ARG_HELP = "显示本帮助并退出"
ARG_ERROR = "{prog}：{message}（用 {prog} -h 查看用法）"
ARG_REQUIRED = "缺少必需的参数：{args}"
ARG_ONE_REQUIRED = "须给出以下参数之一：{args}"
ARG_UNRECOGNIZED = "无法识别的参数：{args}"
ARG_AMBIGUOUS = "选项 {option} 不明确，可能是：{matches}"
ARG_INVALID_CHOICE = "参数 {arg} 的值“{value}”无效，可选：{choices}"
ARG_INVALID_COMMAND = "没有“{value}”这个命令，可用的命令：{choices}"
ARG_INVALID_TYPE = "参数 {arg} 的值“{value}”无效：{expected}"
ARG_TYPES = {"int": "应为整数", "float": "应为数字"}
ARG_TYPE_OTHER = "格式不对"
ARG_EXPECTED_ONE = "参数 {arg} 后面需要一个值"
ARG_EXPECTED_MORE = "参数 {arg} 后面需要更多的值"
ARG_NOT_ALLOWED = "参数 {arg} 不能与 {other} 同时使用"
ARG_IGNORED_VALUE = "参数 {arg} 不带值（多出了“{value}”）"
ARG_MESSAGE = "参数 {arg}：{message}"
ARG_OTHER = "命令行参数有误（{message}）"
ARG_LIST_SEPARATOR = "、"
