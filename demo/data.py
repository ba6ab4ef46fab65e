"""A realistic county: 郧西县 (Shiyan, Hubei) with its townships, courts, bureaus and agencies,
plus a neighbouring district so that scoping can be seen at work."""

from core.roles import Role

DEMO_PASSWORD = "huajie2026"

# (code, name, level, parent code)
REGIONS = [
    ("420000", "湖北省", 1, None),
    ("420300", "十堰市", 2, "420000"),
    ("420322", "郧西县", 3, "420300"),
    ("420304", "郧阳区", 3, "420300"),
    *[
        (f"420322{100 + i:03d}", name, 4, "420322")
        for i, name in enumerate(
            [
                "城关镇",
                "土门镇",
                "上津镇",
                "店子镇",
                "夹河镇",
                "羊尾镇",
                "观音镇",
                "马安镇",
                "河夹镇",
                "香口乡",
                "湖北口回族乡",
                "景阳乡",
                "六郎乡",
                "涧池乡",
                "安家乡",
                "关防乡",
            ]
        )
    ],
]

# (region code, name, short name, kind, parent name)
# The rooms the calendar books: (organisation, room, address).
ROOMS = [
    ("郧西县司法局", "复议听证室", "郧西县城关镇天河大道18号司法局三楼"),
    ("郧西县行政争议化解中心", "第一调解室", "郧西县城关镇天河大道18号化解中心一楼"),
    ("郧西县行政争议化解中心", "第二调解室", "郧西县城关镇天河大道18号化解中心一楼"),
    ("郧西县人民法院", "第三法庭", "郧西县城关镇法院路6号"),
]

# The legal-aid roster: (username, licence number, expertise (matter categories), capacity).
LAWYERS = [
    ("lawyer", "14203201510612345", ["work_injury", "social_insurance", "land"], 6),
    ("lawyer2", "14203201810623456", ["land", "demolition"], 4),
]

ORGANISATIONS = [
    ("420322", "郧西县司法局", "郧西", "justice_bureau", None),
    ("420322", "郧西县行政争议化解中心", "郧西", "centre", "郧西县司法局"),
    ("420322", "郧西县人民法院", "郧西法院", "court", None),
    ("420322", "郧西县人民检察院", "郧西检察", "procuratorate", None),
    ("420322", "郧西县法律援助中心", "郧西法援", "legal_aid_centre", "郧西县司法局"),
    ("420322", "郧西县行政争议化解委员会", "郧西化解委", "committee", None),
    ("420322", "湖北上津律师事务所", "上津律所", "law_firm", None),
    ("420322", "湖北汉江律师事务所", "汉江律所", "law_firm", None),
    ("420322", "郧西县人民政府", "县政府", "agency", None),
    ("420322", "郧西县自然资源和规划局", "自然资源局", "agency", None),
    ("420322", "郧西县公安局", "公安局", "agency", None),
    ("420322", "郧西县市场监督管理局", "市场监管局", "agency", None),
    ("420322", "郧西县人力资源和社会保障局", "人社局", "agency", None),
    ("420322", "郧西县住房和城乡建设局", "住建局", "agency", None),
    ("420322", "郧西县交通运输局", "交通运输局", "agency", None),
    ("420322", "郧西县农业农村局", "农业农村局", "agency", None),
    ("420322", "郧西县城市管理执法局", "城管执法局", "agency", None),
    ("420322", "郧西县应急管理局", "应急管理局", "agency", None),
    ("420322", "郧西县卫生健康局", "卫健局", "agency", None),
    ("420322", "郧西县教育局", "教育局", "agency", None),
    ("420322", "郧西县民政局", "民政局", "agency", None),
    ("420322", "郧西县医疗保障局", "医保局", "agency", None),
    ("420322", "郧西县林业局", "林业局", "agency", None),
    ("420322", "郧西县水利和湖泊局", "水利局", "agency", None),
    ("420322", "十堰市生态环境局郧西分局", "生态环境分局", "agency", None),
    ("420322100", "郧西县城关镇人民政府", "城关镇", "agency", None),
    ("420322101", "郧西县土门镇人民政府", "土门镇", "agency", None),
    ("420322102", "郧西县上津镇人民政府", "上津镇", "agency", None),
    ("420304", "十堰市郧阳区司法局", "郧阳", "justice_bureau", None),
    ("420304", "十堰市郧阳区行政争议化解中心", "郧阳", "centre", "十堰市郧阳区司法局"),
    ("420304", "十堰市郧阳区自然资源和规划局", "郧阳自然资源局", "agency", None),
]

# (username, name, organisation, title, roles, is_staff/superuser, what they do — printed by make run)
USERS = [
    ("admin", "韩立", "郧西县司法局", "信息科科长", [Role.ADMINISTRATOR], True, "系统管理员"),
    # 三权分立: the security and audit administrators, apart from the system administrator.
    (
        "anquan",
        "周静",
        "郧西县司法局",
        "信息科安全管理员",
        [Role.SECURITY_ADMINISTRATOR],
        False,
        "安全管理员",
    ),
    ("shenji", "冯雪", "郧西县司法局", "审计管理员", [Role.AUDIT_ADMINISTRATOR], False, "审计管理员"),
    (
        "clerk",
        "张敏",
        "郧西县行政争议化解中心",
        "化解中心工作人员",
        [Role.CENTRE_CLERK],
        False,
        "化解中心工作人员",
    ),
    ("fuyi", "王磊", "郧西县司法局", "行政复议股股长", [Role.CENTRE_CLERK], False, "司法局复议股"),
    ("court", "李娜", "郧西县人民法院", "行政庭书记员", [Role.COURT_CLERK], False, "法院行政庭书记员"),
    ("mediator", "陈建国", "郧西县行政争议化解中心", "特邀化解员", [Role.MEDIATOR], False, "化解员"),
    (
        "liaison",
        "刘洋",
        "郧西县自然资源和规划局",
        "法规股联络员",
        [Role.AGENCY_LIAISON],
        False,
        "行政机关联络员",
    ),
    (
        "head",
        "赵志强",
        "郧西县自然资源和规划局",
        "局长",
        [Role.AGENCY_HEAD_PRINCIPAL],
        False,
        "行政机关负责人（正职）",
    ),
    (
        "deputy",
        "孙丽",
        "郧西县自然资源和规划局",
        "副局长",
        [Role.AGENCY_HEAD_DEPUTY],
        False,
        "行政机关负责人（副职）",
    ),
    ("police", "马超", "郧西县公安局", "法制大队联络员", [Role.AGENCY_LIAISON], False, "另一行政机关联络员"),
    (
        "aid",
        "周婷",
        "郧西县法律援助中心",
        "法律援助中心工作人员",
        [Role.LEGAL_AID_STAFF],
        False,
        "法律援助工作人员",
    ),
    ("lawyer", "吴涛", "湖北上津律师事务所", "律师", [Role.LEGAL_AID_LAWYER], False, "法律援助律师"),
    ("lawyer2", "孙悦", "湖北汉江律师事务所", "律师", [Role.LEGAL_AID_LAWYER], False, "另一法律援助律师"),
    (
        "committee",
        "郑国华",
        "郧西县行政争议化解委员会",
        "委员",
        [Role.COMMITTEE_MEMBER],
        False,
        "化解委员会成员",
    ),
    (
        "yunyang",
        "黄晓",
        "十堰市郧阳区行政争议化解中心",
        "化解中心工作人员",
        [Role.CENTRE_CLERK],
        False,
        "邻区化解中心工作人员",
    ),
]
