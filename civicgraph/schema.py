"""The single source of truth for node kinds, edge kinds, admin levels, roles and columns.

Everything else in civicgraph imports these names instead of spelling strings again.
Header aliases (Chinese and English) for reading user tables live here as well, next to
the canonical column they map to.
"""

from __future__ import annotations

from types import MappingProxyType

import pandas as pd

from .catalog import VALUES_ZH

__all__ = [
    "ADMIN_LEVELS",
    "COL",
    "COUNTY_KINDS",
    "EDGE_COLUMNS",
    "EDGE_KINDS",
    "EDGE_KIND_ALIASES",
    "EDGE_RULES",
    "HEADER_ALIASES",
    "LABELS_ZH",
    "LEVEL_CODE_LENGTH",
    "LEVEL_ALIASES",
    "LEVEL_DEPTH",
    "LEGAL_FORMS",
    "LEGAL_FORM_ALIASES",
    "NODE_COLUMNS",
    "NODE_KINDS",
    "ORG_ROLES",
    "PROGRAM_TYPES",
    "PROGRAM_TYPE_ALIASES",
    "REGISTRATION_ALIASES",
    "REGISTRATION_STATUSES",
    "ROLE_ALIASES",
    "SHEET_ALIASES",
    "STATUSES",
    "STATUS_ALIASES",
    "STREET_KINDS",
    "county_kind_dtype",
    "edge_kind_dtype",
    "level_dtype",
    "node_kind_dtype",
    "registration_dtype",
    "role_dtype",
    "street_kind_dtype",
]

# --------------------------------------------------------------------------- kinds

#: Node kinds.
NODE_KINDS: tuple[str, ...] = ("admin", "org", "program")

#: Admin levels from the top of the hierarchy down; communities (and villages) are leaves.
ADMIN_LEVELS: tuple[str, ...] = ("province", "city", "district", "street", "community")

#: Depth of each level in the national tree (province = 0).
LEVEL_DEPTH = MappingProxyType({lvl: i for i, lvl in enumerate(ADMIN_LEVELS)})

#: Number of code digits that identify a unit of each level (GB/T 2260 + NBS rules).
LEVEL_CODE_LENGTH = MappingProxyType(
    {"province": 2, "city": 4, "district": 6, "street": 9, "community": 12}
)

#: Organization roles. ``unknown`` is the role of a row that gives none (a register
#: exported from the national platform has no role column): such an organization counts
#: wherever roles do not matter, and is never a hub, center or agency.
ORG_ROLES: tuple[str, ...] = (
    "center",
    "hub",
    "agency",
    "member",
    "operator",
    "government",
    "unknown",
)

#: Legal forms of a registered social organization (登记类型), separate from its role:
#: 社会团体, 民办非企业单位 / 社会服务机构, 基金会 (credit code character 2: 1, 2, 3).
LEGAL_FORMS: tuple[str, ...] = ("social_group", "social_service_institution", "foundation")

#: Registration statuses of a platform export (登记状态): 正常, 注销, 撤销.
STATUSES: tuple[str, ...] = ("active", "deregistered", "revoked")

#: Kinds of street-level units, from the 3-digit street part of the code (statistical
#: division code rules): 001-099 街道, 100-199 镇, 200-399 乡, 400 and above other.
STREET_KINDS: tuple[str, ...] = ("street_office", "town", "township", "other")

#: Kinds of county-level units, from digits 5-6 of the code: 01-20 市辖区 (city
#: district), 21-70 县 (county, 旗), 71-80 开发区 and similar zones, 81-99 县级市.
COUNTY_KINDS: tuple[str, ...] = ("city_district", "county", "zone", "county_city")

#: Registration status of an organization: 登记 (registered with civil affairs) or 备案
#: (filed: the lighter procedure open to community organizations); missing = unknown.
REGISTRATION_STATUSES: tuple[str, ...] = ("registered", "filed")

#: Edge kinds.
EDGE_KINDS: tuple[str, ...] = (
    "contains",
    "located_in",
    "serves",
    "incubates",
    "member_of",
    "operates",
    "funds",
    "awards",
)

#: Which node kinds (and org roles, where it matters) each edge kind may join.
#: ``(source kinds, target kinds)``.
EDGE_RULES = MappingProxyType(
    {
        "contains": (("admin",), ("admin",)),
        "located_in": (("org",), ("admin",)),
        "serves": (("org",), ("admin",)),
        "incubates": (("org",), ("org",)),
        "member_of": (("org",), ("org",)),
        "operates": (("org",), ("org",)),
        "funds": (("org", "program", "admin"), ("org", "program")),
        "awards": (("program", "org", "admin"), ("admin",)),
    }
)

node_kind_dtype = pd.CategoricalDtype(list(NODE_KINDS))
level_dtype = pd.CategoricalDtype(list(ADMIN_LEVELS), ordered=True)
role_dtype = pd.CategoricalDtype(list(ORG_ROLES))
edge_kind_dtype = pd.CategoricalDtype(list(EDGE_KINDS))
street_kind_dtype = pd.CategoricalDtype(list(STREET_KINDS))
county_kind_dtype = pd.CategoricalDtype(list(COUNTY_KINDS))
registration_dtype = pd.CategoricalDtype(list(REGISTRATION_STATUSES))


# --------------------------------------------------------------------------- columns


class COL:
    """Canonical column names of the node and edge tables."""

    # nodes
    ID = "id"
    KIND = "kind"
    NAME = "name"
    LEVEL = "level"
    URBAN = "urban"
    STREET_KIND = "street_kind"
    COUNTY_KIND = "county_kind"  # county-level units: city_district, county, zone, county_city
    REGISTRATION = "registration"  # organizations: registered (登记), filed (备案), unknown
    ROLE = "role"
    CREDIT_CODE = "credit_code"
    DIVISION = "division_code"  # registry: where an org is located (becomes a located_in edge)
    REGISTRAR = "registrar_code"  # credit code characters 3-8: the registering authority
    REGISTRAR_LEVEL = "registrar_level"
    PROGRAM_TYPE = "program_type"
    FUNDER = "funder"  # program: id of the funding government org or admin unit
    FUNDER_LEVEL = "funder_level"  # program: "city", "district", ...
    YEAR = "year"  # program: year of the round
    SYNTHETIC = "synthetic"
    # organizations, as a registration platform exports them
    REGISTRAR_NAME = "registrar"  # 登记管理机关, by name: resolved to registrar_code/_level
    SUPERVISOR = "supervisor"  # 业务主管单位
    LEGAL_REP = "legal_representative"  # 法定代表人
    CAPITAL = "registered_capital"  # 注册资金, yuan
    STATUS = "status"  # 登记状态: active / deregistered / revoked
    LEGAL_FORM = "legal_form"  # 社会团体 / 民办非企业单位 / 基金会
    ADDRESS = "address"  # 住所 / 地址, text
    ADDRESS_CODE = "address_code"  # the finest admin unit the address names
    # edges
    SOURCE = "source"
    TARGET = "target"
    AMOUNT = "amount"
    PROGRAM = "program"
    PROJECT = "project"
    PURPOSE = "purpose"
    # both
    START = "start"
    END = "end"
    NOTE = "note"
    SOURCE_REF = "source_ref"


#: Columns every node table has, in order, with their dtypes.
NODE_COLUMNS = MappingProxyType(
    {
        COL.ID: "str",
        COL.KIND: node_kind_dtype,
        COL.NAME: "str",
        COL.LEVEL: level_dtype,
        COL.URBAN: "boolean",
        COL.ROLE: role_dtype,
        COL.START: "datetime64[ns]",
        COL.END: "datetime64[ns]",
    }
)

#: Columns every edge table has, in order, with their dtypes.
EDGE_COLUMNS = MappingProxyType(
    {
        COL.SOURCE: "str",
        COL.TARGET: "str",
        COL.KIND: edge_kind_dtype,
        COL.AMOUNT: "float64",
        COL.START: "datetime64[ns]",
        COL.END: "datetime64[ns]",
    }
)

#: Program types (funding programs and rounds) named in the 2019 Wuhu report.
PROGRAM_TYPES: tuple[str, ...] = (
    "venture_philanthropy",  # 公益创投
    "micro_venture_philanthropy",  # 微公益创投
    "demonstration_award",  # 三社联动示范社区奖补
    "cradle",  # 社区社会组织摇篮项目
    "community_fund",  # 社区基金
    "purchase_of_services",  # 购买服务
    "other",
)

# --------------------------------------------------------------------------- labels

#: Chinese labels of every code value above (for --lang zh output); the text lives in
#: the message catalog (``civicgraph/catalog/labels.zh.json``, ``values``).
LABELS_ZH = VALUES_ZH

# ------------------------------------------------------------------ header aliases

#: Header aliases accepted in user tables, by canonical column. Matching ignores case,
#: surrounding white space, full-width/half-width differences and brackets' form, so
#: ``金额(元)`` and ``金额（元）`` are the same header. ``amount_wan`` is in 万元 and is
#: converted to yuan on reading.
HEADER_ALIASES = MappingProxyType(
    {
        COL.ID: ("id", "编号", "组织编号", "序号编号", "node_id"),
        COL.NAME: ("name", "名称", "组织名称", "单位名称", "项目名称"),
        COL.KIND: ("kind", "节点类型", "关系类型", "类别"),
        COL.ROLE: ("role", "类型", "组织类型", "角色"),
        COL.CREDIT_CODE: (
            "credit_code",
            "统一社会信用代码",
            "信用代码",
            "uscc",
        ),
        COL.DIVISION: (
            "division_code",
            "division",
            "所在区划代码",
            "区划代码",
            "所在社区",
            "所在街道",
            "所在区划",
            "社区",
            "location",
            "community",
        ),
        COL.PROGRAM_TYPE: ("program_type", "项目类型", "资金类型"),
        COL.REGISTRATION: (
            "registration",
            "registration_status",
            "登记备案",
            "登记或备案",
            "登记/备案",
            "备案",
        ),
        COL.REGISTRAR: ("registrar_code", "登记机关代码", "登记机关区划代码"),
        COL.REGISTRAR_LEVEL: ("registrar_level", "登记机关层级", "登记层级"),
        COL.FUNDER: ("funder", "出资方", "出资单位", "资助单位"),
        COL.FUNDER_LEVEL: ("funder_level", "资助层级", "出资层级", "层级", "级别"),
        COL.YEAR: ("year", "年度", "年份"),
        COL.SOURCE: ("source", "from", "来源", "发起方", "资助方", "孵化方", "起点"),
        COL.TARGET: ("target", "to", "对象", "接收方", "受助方", "被孵化方", "终点"),
        COL.AMOUNT: ("amount", "amount_yuan", "金额", "金额(元)", "金额（元）", "资助金额"),
        "amount_wan": ("amount_wan", "金额(万元)", "金额（万元）", "资助金额(万元)"),
        COL.PROGRAM: ("program", "项目", "资金项目", "所属项目"),
        COL.PROJECT: ("project", "子项目", "项目内容"),
        COL.PURPOSE: ("purpose", "用途", "资金用途"),
        COL.START: (
            "start",
            "start_date",
            "date",
            "开始日期",
            "开始",
            "成立日期",
            "成立登记日期",
            "登记日期",
            "成立时间",
            "起始日期",
            "日期",
            "资助日期",
            "拨付日期",
            "立项日期",
        ),
        COL.END: ("end", "end_date", "结束日期", "结束", "注销日期", "终止日期", "撤销日期"),
        COL.REGISTRAR_NAME: ("registrar", "registrar_name", "登记管理机关", "登记机关", "登记部门"),
        COL.SUPERVISOR: ("supervisor", "业务主管单位", "主管单位"),
        COL.LEGAL_REP: ("legal_representative", "法定代表人", "法人代表"),
        COL.CAPITAL: (
            "registered_capital",
            "注册资金",
            "注册资金(元)",
            "注册资本",
            "开办资金",
            "原始基金",
        ),
        "registered_capital_wan": (
            "registered_capital_wan",
            "注册资金(万元)",
            "注册资本(万元)",
            "开办资金(万元)",
            "原始基金(万元)",
        ),
        COL.STATUS: ("status", "登记状态", "状态", "组织状态"),
        COL.LEGAL_FORM: ("legal_form", "社会组织类型", "登记类型", "组织形式", "法人类型"),
        COL.ADDRESS: ("address", "住所", "地址", "注册地址", "办公地址", "住所地"),
        COL.NOTE: ("note", "备注", "说明"),
        COL.SYNTHETIC: ("synthetic", "合成数据"),
        COL.SOURCE_REF: ("source_ref", "来源依据", "出处"),
    }
)

#: Sheet (or CSV file stem) names of a registry, by canonical sheet.
SHEET_ALIASES = MappingProxyType(
    {
        "organizations": ("organizations", "organisations", "orgs", "组织", "组织名录", "组织表"),
        "ties": ("ties", "edges", "relations", "关系", "关系表"),
        "funding": ("funding", "funds", "grants", "资金", "资助", "资金表"),
        "programs": ("programs", "programmes", "项目", "项目表", "资金项目"),
    }
)

#: Values accepted for an org role (besides the canonical names and LABELS_ZH).
ROLE_ALIASES = MappingProxyType(
    {
        "center": ("培育中心", "孵化基地", "孵化中心", "社会组织培育中心", "社会组织服务中心"),
        "hub": ("枢纽型社会组织", "枢纽型社区社会组织", "联合会", "社区社会组织联合会", "枢纽"),
        "agency": ("社工机构", "社会工作服务机构", "社工中心"),
        "member": ("社区社会组织", "会员组织", "成员组织"),
        "operator": ("运营机构", "运营方"),
        "government": ("政府", "民政局", "政府部门", "民政部门"),
    }
)

#: Values accepted for a legal form (besides the canonical names and LABELS_ZH).
LEGAL_FORM_ALIASES = MappingProxyType(
    {
        "social_group": ("社会团体", "社团"),
        "social_service_institution": ("民办非企业单位", "社会服务机构", "民非"),
        "foundation": ("基金会", "慈善基金会"),
    }
)

#: Values accepted for a registration status (besides the canonical names and LABELS_ZH).
STATUS_ALIASES = MappingProxyType(
    {
        "active": ("正常", "存续", "登记", "成立"),
        "deregistered": ("注销", "已注销", "注销登记"),
        "revoked": ("撤销", "已撤销", "撤销登记", "吊销"),
    }
)

#: Values accepted for an edge kind (besides the canonical names and LABELS_ZH).
EDGE_KIND_ALIASES = MappingProxyType(
    {
        "contains": ("包含",),
        "located_in": ("位于", "所在"),
        "serves": ("服务", "服务范围"),
        "incubates": ("孵化", "培育"),
        "member_of": ("会员", "加入", "成员"),
        "operates": ("运营", "承接运营"),
        "funds": ("资助", "拨款"),
        "awards": ("奖补", "奖励"),
    }
)

#: Values accepted for a program type (besides the canonical names and LABELS_ZH).
PROGRAM_TYPE_ALIASES = MappingProxyType(
    {
        "demonstration_award": ("示范社区奖补", "三社联动"),
        "cradle": ("摇篮项目", "摇篮计划"),
        "other": ("其他",),
    }
)

#: Values accepted for a registration status (besides the canonical names and LABELS_ZH).
REGISTRATION_ALIASES = MappingProxyType(
    {
        "registered": ("已登记", "登记成立", "注册", "注册登记", "已注册"),
        "filed": ("已备案", "备案管理"),
    }
)

#: Values accepted for an admin level (besides the canonical names and LABELS_ZH).
LEVEL_ALIASES = MappingProxyType(
    {
        "province": ("省级",),
        "city": ("市级",),
        "district": ("区", "县", "区级", "县级"),
        "street": ("街道", "乡镇", "街道级"),
        "community": ("社区", "村", "社区级"),
    }
)
