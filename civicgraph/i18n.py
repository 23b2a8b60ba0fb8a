"""Labels in Chinese and English for tables, the command line and the report.

Code values (kinds, levels, roles, program types) are translated with
:data:`civicgraph.schema.LABELS_ZH`; column headers of metric tables with
:data:`COLUMN_LABELS`. English labels are the column names themselves, made readable.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from .schema import LABELS_ZH

__all__ = [
    "CODE_COLUMNS",
    "COLUMN_LABELS",
    "LANGS",
    "TERMS_ZH",
    "TERM_COLUMNS",
    "label",
    "term",
    "translate_frame",
]

LANGS = ("zh", "en")

#: Columns whose values are codes with a Chinese label in ``LABELS_ZH``.
CODE_COLUMNS = frozenset(
    {
        "kind",
        "level",
        "role",
        "program_type",
        "street_kind",
        "county_kind",
        "registration",
        "funder_level",
        "recipient_role",
    }
)

#: Column headers of every metric table: ``{column: (zh, en)}``.
COLUMN_LABELS = MappingProxyType(
    {
        "id": ("编号", "id"),
        "name": ("名称", "name"),
        "level": ("层级", "level"),
        "parent": ("上级", "parent"),
        "communities": ("社区数", "communities"),
        "covered": ("已覆盖", "covered"),
        "share": ("覆盖率", "share"),
        "hubs": ("枢纽组织数", "hubs"),
        "district": ("区县", "district"),
        "street": ("街道", "street"),
        "urban": ("城市社区", "urban"),
        "nearest_hub": ("最近枢纽组织", "nearest hub"),
        "nearest_hub_name": ("最近枢纽组织名称", "nearest hub name"),
        "hops": ("距离(层)", "hops"),
        "members": ("社区社会组织数", "members"),
        "funding": ("资金(元)", "funding (yuan)"),
        "priority": ("优先级", "priority"),
        "step": ("步骤", "step"),
        "unit": ("区划", "unit"),
        "gained": ("新增覆盖", "gained"),
        "coverage": ("覆盖率", "coverage"),
        "section": ("类别", "section"),
        "item": ("项目", "item"),
        "value": ("数值", "value"),
        "note": ("说明", "note"),
        "role": ("类型", "role"),
        "reach": ("孵化覆盖", "reach"),
        "pagerank": ("PageRank", "PageRank"),
        "betweenness": ("中介中心性", "betweenness"),
        "betweenness_samples": ("中介中心性样本数", "betweenness samples"),
        "brokerage": ("跨区联系", "brokerage"),
        "program": ("项目", "program"),
        "program_type": ("项目类型", "program type"),
        "year": ("年份", "year"),
        "amount": ("金额(元)", "amount (yuan)"),
        "count": ("数量", "count"),
        "recipients": ("受助方数", "recipients"),
        "rule": ("规则", "rule"),
        "node": ("对象", "node"),
        "message": ("说明", "message"),
        "threshold": ("阈值", "threshold"),
        "with_hub": ("有枢纽组织", "with hub"),
        "street_kind": ("街道乡镇类型", "street type"),
        "county_kind": ("区县类型", "county type"),
        "registration": ("登记状态", "registration"),
        "urban_communities": ("城市社区数", "urban communities"),
        "has_hub": ("有枢纽组织", "has a hub"),
        "street_gaps": ("本街道未覆盖社区数", "gaps in the street"),
        "vertical": ("上下级联系", "vertical ties"),
        "hub_own": ("本社区有枢纽组织", "hub of its own"),
        "hub_served": ("在枢纽组织服务范围内", "in a hub's service area"),
        "community_orgs": ("有社区社会组织", "community organizations"),
        "has_agency": ("有社工机构", "social-work agency"),
        "demonstration": ("三社联动示范社区", "demonstration community"),
        "linked": ("三社齐备", "all three sectors"),
        "file": ("文件", "file"),
        "sheet": ("工作表", "sheet"),
        "row": ("行", "row"),
        "column": ("列", "column"),
        "code": ("问题代码", "code"),
        "fix": ("修改建议", "fix"),
    }
)


#: Columns holding the words of headline tables (``summary``): section, item, unit, note.
TERM_COLUMNS = frozenset({"section", "item", "unit", "note"})

#: Notes that metrics attach to rows: ``{key: (zh, en)}``.
NOTES = MappingProxyType(
    {
        "boundary": (
            "按图中的行政区划计算；芜湖示例使用2023年统计用区划代码，其社区与2019年不同，"
            "因此覆盖率与报告中“城市社区覆盖率24%”（2019年8月底）有差异",
            "computed on the admin units in the graph; on Wuhu these are the 2023 NBS "
            "divisions, whose communities differ from the 2019 ones, so the share differs "
            "from the report's 24% of urban communities (August 2019)",
        ),
    }
)


def _report_terms() -> dict[str, str]:
    """The Chinese words of headline tables: the report's table (``report/i18n/zh.json``,
    key ``terms``, one source for report and command line) plus the notes above."""
    path = Path(__file__).parent / "report" / "i18n" / "zh.json"
    terms = json.loads(path.read_text(encoding="utf-8"))["terms"]
    return {**terms, **{en: zh for zh, en in NOTES.values()}}


#: Chinese of the words in headline tables; ``a: b`` is translated part by part.
TERMS_ZH = MappingProxyType(_report_terms())


def term(value: str, lang: str = "en") -> str:
    """A word of a headline table in ``lang`` (``a: b`` part by part).

    >>> term("programs: venture_philanthropy", "zh"), term("city centers", "zh")
    ('项目资金：公益创投', '市级培育中心')
    """
    _check(lang)
    if lang != "zh" or not isinstance(value, str):
        return value
    if ": " in value:
        return "：".join(term(part, lang) for part in value.split(": ", 1))
    return TERMS_ZH.get(value, LABELS_ZH.get(value, value))


def label(value: str, lang: str = "en") -> str:
    """The label of a column name or code value in ``lang``.

    >>> label("hub", "zh"), label("share", "zh"), label("share", "en")
    ('枢纽型组织', '覆盖率', 'share')
    """
    _check(lang)
    if value in COLUMN_LABELS:
        return COLUMN_LABELS[value][0 if lang == "zh" else 1]
    if lang == "zh":
        return LABELS_ZH.get(value, value)
    return str(value).replace("_", " ")


def translate_frame(df: pd.DataFrame, lang: str = "en", *, values: bool = True) -> pd.DataFrame:
    """A copy of ``df`` with column headers (and code values, when ``values``) in ``lang``.

    Code values are translated only in the columns that hold codes
    (:data:`CODE_COLUMNS`: kinds, levels, roles, program types), so names are never
    touched.

    >>> df = pd.DataFrame({"level": ["street"], "share": [0.5]})
    >>> translate_frame(df, "zh")
        层级  覆盖率
    0  街道乡镇  0.5
    """
    _check(lang)
    out = df.copy()
    if values and lang == "zh":
        for col in out.columns:
            if col in CODE_COLUMNS:
                out[col] = out[col].astype(object).map(lambda v: LABELS_ZH.get(v, v))
            elif col in TERM_COLUMNS:
                out[col] = out[col].astype(object).map(lambda v: term(v, "zh"))
    headline = set(out.columns) >= TERM_COLUMNS or {"section", "item", "unit"} <= set(out.columns)
    out.columns = [
        ("单位" if lang == "zh" else "unit")
        if headline and c == "unit"
        else label(c, lang)
        if isinstance(c, str)
        else c
        for c in out.columns
    ]
    if out.index.name:
        out.index.name = label(out.index.name, lang)
    return out


def _check(lang: str) -> None:
    if lang not in LANGS:
        from ._errors import SchemaError

        raise SchemaError(f"unknown language {lang!r}; use 'zh' or 'en'")
