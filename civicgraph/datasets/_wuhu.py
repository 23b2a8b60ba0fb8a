"""The Wuhu example: real divisions plus everything the 2019 report names (see :func:`wuhu`)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..io.divisions import read_divisions
from ..model import CivicGraph
from ..schema import COL
from ._build import credit_codes, split_total

__all__ = ["AS_OF", "wuhu", "wuhu_divisions_path"]

#: The report's reference date ("截止2019年8月底").
AS_OF = "2019-08-31"
SEED = 2019
CITY = "3402"

R1, R2, R3, R4 = (f"2019 report section {s}" for s in "一二三四")

#: The report's named hubs: id, name, community code (NBS 2023), start, source.
NAMED_HUBS = (
    ("hub-qingyuan", "鸠江区清水街道清苑社区社会组织联合会", "340207005001", "2015-03-18", R1),
    ("hub-wanchun", "万春社区社会组织联合会", "340207005015", "2015-05-06", R1),
    ("hub-hongmei", "镜湖区红梅社区社会组织联合会", "340202018003", "2016-04-12", R4),
    (
        "hub-binjiang",
        "弋江区中南街道滨江社区微服务社区社会组织联合会",
        "340209001010",
        "2018-03-20",
        R4,
    ),
)
#: Synthetic street-level hubs (federations of a whole street; 2018 policy: one hub per
#: urban street). Chosen by hand among street offices without a named hub; together they
#: hold 43 urban communities (16 + 9 + 11 + 7).
STREET_HUBS = ("340207003", "340209002", "340271001", "340202017")
#: Synthetic hubs in rural villages, by county: two in Wuwei, two in Nanling.
RURAL_HUBS = (("340281", 2), ("340223", 2))
#: Founding years of the 30 synthetic community hubs, and of the 8 street/rural hubs.
COMMUNITY_HUB_YEARS = [2015] * 12 + [2016] * 5 + [2017] * 7 + [2018] * 3 + [2019] * 3
LATE_HUB_YEARS = [2018, 2018, 2019, 2019, 2018, 2019, 2018, 2019]

#: Venture-philanthropy rounds: id suffix, name, funder, level, year, grant date,
#: total (yuan), projects, recipients' district (None: anywhere in the city), source.
VP_ROUNDS = (
    (
        "3402-2015",
        "芜湖市第一届社会组织公益创投",
        "gov-3402",
        "city",
        2015,
        "2015-11-01",
        1_000_000,
        12,
        None,
    ),
    (
        "3402-2016",
        "芜湖市第二届社会组织公益创投",
        "gov-3402",
        "city",
        2016,
        "2016-06-01",
        1_200_000,
        15,
        None,
    ),
    (
        "3402-2017",
        "芜湖市第三届社会组织公益创投",
        "gov-3402",
        "city",
        2017,
        "2017-06-01",
        1_300_000,
        16,
        None,
    ),
    (
        "3402-2018",
        "芜湖市第四届社会组织公益创投",
        "gov-3402",
        "city",
        2018,
        "2018-06-01",
        1_400_000,
        18,
        None,
    ),
    (
        "3402-2019",
        "芜湖市第五届社会组织公益创投",
        "gov-3402",
        "city",
        2019,
        "2019-06-01",
        1_400_000,
        19,
        None,
    ),
    (
        "340209-2017",
        "弋江区第一届社会组织公益创投",
        "gov-340209",
        "district",
        2017,
        "2017-07-01",
        600_000,
        18,
        "340209",
    ),
    (
        "340209-2018",
        "弋江区第二届社会组织公益创投",
        "gov-340209",
        "district",
        2018,
        "2018-07-01",
        760_000,
        21,
        "340209",
    ),
    (
        "340207-2019",
        "鸠江区首届社会组织公益创投",
        "gov-340207",
        "district",
        2019,
        "2019-07-01",
        700_000,
        14,
        "340207",
    ),
    (
        "340281-2019",
        "无为县首届社会组织公益创投",
        "gov-340281",
        "district",
        2019,
        "2019-07-15",
        200_000,
        8,
        "340281",
    ),
)
#: Demonstration awards: year, grant date, total, communities.
AWARDS = ((2018, "2018-11-01", 2_800_000, 15), (2019, "2019-05-15", 3_000_000, 15))
#: Awards forced into the demonstration set: the report's named hubs' communities (四)
#: and three more communities of 中南街道, the 2018 provincial pilot street (四).
AWARD_NAMED = {"340209001010": 2018, "340202018003": 2019}
AWARD_PILOT_STREET = "340209001"
#: Number of awards (synthetic choice) spending less than half on purchase of services.
AWARDS_BELOW_RULE = 3

MEMBER_THEMES = (
    "志愿服务队",
    "老年协会",
    "文体队",
    "邻里互助会",
    "纠纷调解队",
    "书画社",
    "舞蹈队",
    "爱心帮扶队",
    "平安巡逻队",
    "读书会",
    "巾帼志愿队",
    "青少年成长营",
)


def wuhu_divisions_path() -> Path:
    """Path of the embedded Wuhu division codes (NBS 2023, city 3402).

    >>> wuhu_divisions_path().name
    'wuhu_divisions_2023.csv.gz'
    """
    return Path(str(resources.files(__package__).joinpath("data/wuhu_divisions_2023.csv.gz")))


class _Rows:
    """Node and edge rows collected as dicts (the Wuhu graph is small)."""

    def __init__(self) -> None:
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.where: dict[str, str] = {}  # org id -> admin code it is located in
        self.start: dict[str, pd.Timestamp] = {}

    def org(self, id, name, role, at, start, *, synthetic, ref, **extra) -> str:
        start = pd.Timestamp(start)
        self.nodes.append(
            {
                COL.ID: id,
                COL.KIND: "org",
                COL.NAME: name,
                COL.ROLE: role,
                COL.START: start,
                COL.SYNTHETIC: synthetic,
                COL.SOURCE_REF: ref,
                **extra,
            }
        )
        self.edge(id, at, "located_in", start, synthetic=synthetic, ref=ref)
        self.where[id] = at
        self.start[id] = start
        return id

    def program(self, id, name, ptype, level, funder, year, *, synthetic, ref) -> str:
        self.nodes.append(
            {
                COL.ID: id,
                COL.KIND: "program",
                COL.NAME: name,
                COL.PROGRAM_TYPE: ptype,
                "funder_level": level,
                "funder": funder,
                "year": year,
                COL.START: pd.Timestamp(f"{year}-01-01"),
                COL.SYNTHETIC: synthetic,
                COL.SOURCE_REF: ref,
            }
        )
        return id

    def edge(self, source, target, kind, start, *, synthetic, ref, **extra) -> None:
        self.edges.append(
            {
                COL.SOURCE: source,
                COL.TARGET: target,
                COL.KIND: kind,
                COL.START: pd.Timestamp(start),
                COL.SYNTHETIC: synthetic,
                COL.SOURCE_REF: ref,
                **extra,
            }
        )

    def active(self, ids, when) -> list[str]:
        when = pd.Timestamp(when)
        return [i for i in ids if self.start[i] <= when]


def _day(rng: np.random.Generator, lo, hi) -> pd.Timestamp:
    """A seeded day in ``[lo, hi]``."""
    lo, hi = pd.Timestamp(lo), pd.Timestamp(hi)
    return lo + pd.Timedelta(days=int(rng.integers(0, (hi - lo).days + 1)))


def _short(name: str) -> str:
    return name.removesuffix("居民委员会").removesuffix("村民委员会").removesuffix("居委会")


@lru_cache(maxsize=1)
def wuhu() -> CivicGraph:
    """Wuhu (芜湖市) as of 2019-08-31: the 2019 Civil Affairs report as a graph.

    The admin units are real: the NBS 2023 division codes of city 3402 (9 county-level
    units, 79 streets/townships, 950 communities of which 320 urban resident committees),
    read with ``cg.read_divisions(wuhu_divisions_path(), within="3402")``. On them sits
    everything the 2019 report of the Wuhu Civil Affairs Bureau names, completed with a
    seeded (seed 2019), deterministic synthetic part where the report gives only totals.
    Every synthetic node and edge has ``synthetic=True``; every row has ``source_ref``
    naming the report section (一/二/三/四) its figure comes from.

    Returns
    -------
    CivicGraph
        Validated (``from_frames(validate=True)``); the same immutable object on every
        call (cached).

    Notes
    -----
    **Real (from the report).**

    - Government: 芜湖市民政局 (``gov-3402``, located in 3402), the funder of the city
      programs; 鸠江区民政局, 弋江区民政局 and 无为县民政局 (Wuwei county is 无为市 340281
      since 2019) fund their districts' rounds (三).
    - Centers (二): the city center 芜湖市社会组织培育发展服务中心 (``center-3402``, located
      in 3402, from 2016), run by 芜湖市慈航社会组织服务中心 (``op-cihang``, role operator,
      ``operates`` edge with ``purpose="purchase_of_services"``); the Yijiang district
      center (``center-340209``, located in 弋江区 340209; its name and its 2017 start are
      synthetic) run by 心暖花开社会组织联合会 (``op-xinnuanhuakai``). One city-level and one
      district-level center, as the report counts (一).
    - Incubated (二): 新希望/向日葵/益群社会工作服务中心 (agencies, ``incubates`` from the city
      center; located in the city unit 3402 because the report gives no address);
      志华爱心团队, 阳光爱心协会, 心连心爱心协会 (members) and 爱邻社会工作服务中心 (agency),
      incubated by the Yijiang center and located in Yijiang (their communities synthetic).
    - Named hubs, each located in its community, all found by name in the 2023 codes:
      清苑社区 340207005001 and 万春社区 340207005015 (both 鸠江区清水街道; 一), 红梅社区
      340202018003 (镜湖区汀棠街道; 四), 滨江社区 340209001010 (弋江区中南街道; 四).
      Their founding dates are synthetic (清苑 and 万春 in 2015, as products of the cradle
      project). 万春 is the resident committee of 清水街道, in Jiujiang as the report says,
      not the 万春街道 street of the economic development zone (340271002).
    - Program totals, exact: cradle project 2015, 700,000 yuan to 14 hubs (一); city
      venture philanthropy, five rounds 2015–2019, 6,300,000 yuan ("630余万", taken as
      exactly 6.3 million), 80 projects (三); Yijiang, two rounds from 2017, 1,360,000
      yuan, 39 projects (三); Jiujiang 2019, 700,000 yuan, and Wuwei 2019, 200,000 yuan,
      each a first round (三); three-sector demonstration awards 2018 and 2019, 5,800,000
      yuan to 30 communities (四).
    - 42 hubs at 2019-08-31, one city and one district center (一).

    **Synthetic (seeded, ``synthetic=True``).**

    - 38 more hubs, so that 42 exist at 2019-08-31: 30 in urban communities (seeded
      choice), 4 street-level federations (streets 340207003, 340209002, 340271001,
      340202017, chosen by hand) and 4 in rural villages (two in Wuwei, two in Nanling).
      Founded per year 14 (2015), 6 (2016), 7 (2017), 8 (2018), 7 (2019 to August): the
      14 of 2015 are the cradle project's 14 hubs.
    - Coverage on the 2023 boundaries (hub scope: a community hub covers its community,
      a street hub its street): **77 of 320 urban communities, 24.06%** (the report:
      24%). Community hubs 4 + 30 = 34, street hubs 43 urban communities. That is the
      "served" reading; with a hub of their own ("own") 34 of 320 (10.63%); over the
      city districts (市辖区) of the 2023 codes 49 of 203 served (24.14%), 17 own (8.37%).
    - Per-round and per-project splits of every total (rounds of 1.0/1.2/1.3/1.4/1.4
      million yuan with 12/15/16/18/19 projects for the city; Yijiang 600,000 yuan / 18
      projects in 2017 and 760,000 / 21 in 2018; Jiujiang 14 projects, Wuwei 8; awards
      2,800,000 yuan to 15 communities in 2018 and 3,000,000 to 15 in 2019). Project
      amounts are multiples of 1,000 yuan (awards 10,000) and add up exactly.
    - The 30 demonstration communities (红梅 and 滨江 among them, and three more of
      中南街道, the 2018 pilot street) and each award's spending: ``funds`` edges
      community -> org with ``purpose="purchase_of_services"``, and the rest community ->
      org with ``purpose="community_fund"`` (the community's fund, "社区专项基金", held by
      its hub, else a local member organization, else an agency); each award is spent in
      full, so a rule check may divide by the award or by the spending alike. 27 awards spend at least 50% on purchase of services;
      **3 spend less** (30–45%) so that the 50% rule check has something to flag.
    - Member organizations (3–8 per hub, ``member_of`` member -> hub and ``incubates``
      hub -> member), 10 members in urban communities without a hub (no hub tie), 5
      agencies (names end in （示例）), micro venture philanthropy re-grants hub -> member
      (``funds``, ``program`` = a ``micro_venture_philanthropy`` program node per year).
    - Dates not in the report (days and months, the Yijiang center's year), and credit
      codes: only the 38 synthetic hubs carry one (``51`` social group, registrar = their
      district 3402xx, ``MJ`` + 7 random characters, valid check character); the real
      organizations' codes are not in the report and are left empty.

    Every date is on or before 2019-08-31, so the graph is the report's snapshot.
    Programs start on January 1 of their year and have no end date, so ``as_of`` slices
    keep the money granted before them. ``funds`` and ``awards`` edges out of a program
    carry ``program`` (its id) and, for grants, ``project`` (one edge per project).

    Examples
    --------
    >>> import civicgraph as cg
    >>> g = cg.datasets.wuhu()
    >>> g.counts()["org"]["hub"], g.counts()["org"]["center"]
    (42, 2)
    """
    rng = np.random.default_rng(SEED)
    div = read_divisions(wuhu_divisions_path(), within=CITY)
    admin = div.nodes
    comm = admin[admin[COL.LEVEL] == "community"]
    urban = comm[comm[COL.URBAN].fillna(False).to_numpy(dtype=bool)]
    names = admin[COL.NAME].to_dict()
    rows = _Rows()
    as_of = pd.Timestamp(AS_OF)

    # ---------------------------------------------------------------- government, centers
    for code, name, ref in (
        ("3402", "芜湖市民政局", R1),
        ("340207", "鸠江区民政局", R1),
        ("340209", "弋江区民政局", R3),
        ("340281", "无为县民政局", R3),
    ):
        rows.org(f"gov-{code}", name, "government", code, None, synthetic=False, ref=ref)
    rows.org(
        "center-3402", "芜湖市社会组织培育发展服务中心", "center", "3402", "2016-01-01",
        synthetic=False, ref=R2, level="city",
    )  # fmt: skip
    rows.org(
        "center-340209", "弋江区社会组织培育中心", "center", "340209", "2017-01-01",
        synthetic=False, ref=R2, level="district", note="name and start date synthetic",
    )  # fmt: skip
    for op, name, center, start in (
        ("op-cihang", "芜湖市慈航社会组织服务中心", "center-3402", "2016-01-01"),
        ("op-xinnuanhuakai", "心暖花开社会组织联合会", "center-340209", "2017-01-01"),
    ):
        rows.org(op, name, "operator", rows.where[center], start, synthetic=False, ref=R2)
        rows.edge(op, center, "operates", start, synthetic=False, ref=R2,
                  purpose="purchase_of_services")  # fmt: skip

    # ---------------------------------------------------------------- agencies
    agencies = []
    for aid, name, start in (
        ("agency-xinxiwang", "新希望社会工作服务中心", "2016-09-01"),
        ("agency-xiangrikui", "向日葵社会工作服务中心", "2017-03-01"),
        ("agency-yiqun", "益群社会工作服务中心", "2017-08-01"),
    ):
        agencies.append(rows.org(aid, name, "agency", "3402", start, synthetic=False, ref=R2,
                                 note="start date synthetic"))  # fmt: skip
        rows.edge("center-3402", aid, "incubates", start, synthetic=False, ref=R2)
    yj_urban = urban.index[urban.index.str.startswith("340209")].to_numpy()
    yj_at = rng.choice(yj_urban, size=4, replace=False)
    for (oid, name, role), at, start in zip(
        (
            ("member-zhihua", "志华爱心团队", "member"),
            ("member-yangguang", "阳光爱心协会", "member"),
            ("member-xinlianxin", "心连心爱心协会", "member"),
            ("agency-ailin", "爱邻社会工作服务中心", "agency"),
        ),
        yj_at,
        ("2017-04-01", "2017-06-01", "2017-09-01", "2018-02-01"),
    ):
        rows.org(oid, name, role, at, start, synthetic=False, ref=R2,
                 note="location and start date synthetic")  # fmt: skip
        rows.edge("center-340209", oid, "incubates", start, synthetic=False, ref=R2)
        if role == "agency":
            agencies.append(oid)
    for i, district in enumerate(("340202", "340207", "340209", "340210", "340281")):
        aid = f"agency-s{i + 1:02d}"
        rows.org(aid, f"{names[district]}社区社会工作服务中心（示例）", "agency", district,
                 _day(rng, "2015-01-01", "2017-12-31"), synthetic=True, ref=R2)  # fmt: skip
        agencies.append(aid)

    # ---------------------------------------------------------------- hubs
    hub_units: list[tuple[str, str, str, pd.Timestamp, bool, str]] = []
    for hid, name, code, start, ref in NAMED_HUBS:
        hub_units.append((hid, name, code, pd.Timestamp(start), False, ref))
    taken_streets = set(STREET_HUBS)
    named_comms = {h[2] for h in NAMED_HUBS}
    eligible = urban.index[
        ~urban.index.str[:9].isin(taken_streets) & ~urban.index.isin(named_comms)
    ].to_numpy()
    comm_hubs = rng.choice(eligible, size=len(COMMUNITY_HUB_YEARS), replace=False)
    late: list[str] = list(STREET_HUBS)
    for county, k in RURAL_HUBS:
        villages = comm.index[comm.index.str.startswith(county) & ~comm.index.isin(urban.index)]
        late += list(rng.choice(villages.to_numpy(), size=k, replace=False))
    for code, year in zip([*comm_hubs, *late], COMMUNITY_HUB_YEARS + LATE_HUB_YEARS):
        hi = "2015-09-30" if year == 2015 else AS_OF if year == 2019 else f"{year}-12-31"
        street = code[:9]
        label = names[street] if len(code) == 9 else names[street] + _short(names[code])
        name = f"{names[code[:6]]}{label}社区社会组织联合会"
        hub_units.append((f"hub-{code}", name, code, _day(rng, f"{year}-01-01", hi), True, R1))
    hubs = []
    credit = credit_codes(rng, np.array([int(h[2][:6]) for h in hub_units]),
                          np.ones(len(hub_units), dtype=np.int64))  # fmt: skip
    for (hid, name, code, start, synthetic, ref), cc in zip(hub_units, credit):
        extra = {COL.CREDIT_CODE: cc} if synthetic else {"note": "start date synthetic"}
        hubs.append(rows.org(hid, name, "hub", code, start, synthetic=synthetic, ref=ref, **extra))

    # ---------------------------------------------------------------- members
    members_of: dict[str, list[str]] = {}
    n_members = rng.integers(3, 9, size=len(hubs))
    k = 0
    for hid, n in zip(hubs, n_members):
        at_unit = rows.where[hid]
        places = comm.index[comm.index.str.startswith(at_unit)].to_numpy()
        members_of[hid] = []
        for _ in range(n):
            k += 1
            at = places[rng.integers(places.size)]
            mid = f"member-{k:04d}"
            name = _short(names[at]) + MEMBER_THEMES[rng.integers(len(MEMBER_THEMES))]
            start = _day(rng, rows.start[hid] + pd.Timedelta(days=20), AS_OF)
            rows.org(mid, name, "member", at, start, synthetic=True, ref=R2)
            rows.edge(mid, hid, "member_of", start, synthetic=True, ref=R2)
            rows.edge(hid, mid, "incubates", start, synthetic=True, ref=R2)
            members_of[hid].append(mid)
    covered_streets = {rows.where[h] for h in hubs if len(rows.where[h]) == 9}
    hub_comms = {rows.where[h] for h in hubs}
    lonely = urban.index[
        ~urban.index.isin(hub_comms) & ~urban.index.str[:9].isin(covered_streets)
    ].to_numpy()
    for at in rng.choice(lonely, size=10, replace=False):
        k += 1
        name = _short(names[at]) + MEMBER_THEMES[rng.integers(len(MEMBER_THEMES))]
        rows.org(f"member-{k:04d}", name, "member", at, _day(rng, "2016-01-01", AS_OF),
                 synthetic=True, ref=R2, note="no hub in its community yet")  # fmt: skip
    members = [n[COL.ID] for n in rows.nodes if n.get(COL.ROLE) == "member"]

    # ---------------------------------------------------------------- cradle project (一)
    prog = rows.program("prog-cradle-2015", "社区社会组织摇篮项目", "cradle", "city",
                        "gov-3402", 2015, synthetic=False, ref=R1)  # fmt: skip
    cradle = rows.active(hubs, "2015-10-15")
    assert len(cradle) == 14
    for i, (hid, amount) in enumerate(zip(cradle, split_total(rng, 700_000, 14))):
        rows.edge(prog, hid, "funds", "2015-10-15", synthetic=True, ref=R1, amount=float(amount),
                  project=f"摇篮项目{i + 1:02d}：孵化培育与能力提升", program=prog)  # fmt: skip

    # ---------------------------------------------------------------- venture philanthropy (三)
    weight = {"hub": 3.0, "agency": 3.0, "member": 1.0}
    role_of = {n[COL.ID]: n.get(COL.ROLE) for n in rows.nodes}
    for suffix, name, funder, level, year, date, total, n, district in VP_ROUNDS:
        prog = rows.program(f"prog-vp-{suffix}", name, "venture_philanthropy", level, funder,
                            year, synthetic=False, ref=R3)  # fmt: skip
        pool = [
            o
            for o in rows.active([*hubs, *agencies, *members], date)
            if district is None or rows.where[o].startswith(district)
        ]
        p = np.array([weight[role_of[o]] for o in pool])
        picked = rng.choice(len(pool), size=n, replace=len(pool) < n, p=p / p.sum())
        for i, (j, amount) in enumerate(zip(picked, split_total(rng, total, n))):
            rows.edge(prog, pool[j], "funds", date, synthetic=True, ref=R3, amount=float(amount),
                      project=f"{name}项目{i + 1:02d}", program=prog)  # fmt: skip

    # ---------------------------------------------------------------- demonstration awards (四)
    forced = [*AWARD_NAMED]
    pilot = urban.index[urban.index.str.startswith(AWARD_PILOT_STREET)].difference(forced)
    forced += list(rng.choice(pilot.to_numpy(), size=3, replace=False))
    rest = urban.index.difference(forced).to_numpy()
    n_award = sum(a[3] for a in AWARDS)
    chosen = forced + list(rng.choice(rest, size=n_award - len(forced), replace=False))
    year_of = {c: AWARD_NAMED.get(c) for c in chosen}
    free = [c for c in chosen if year_of[c] is None]
    for year, _, _, n in AWARDS:  # fill each year's count with the unassigned ones
        need = n - sum(1 for y in year_of.values() if y == year)
        for c in free[:need]:
            year_of[c] = year
        free = free[need:]
    below = set(rng.choice([c for c in chosen if c not in AWARD_NAMED], AWARDS_BELOW_RULE,
                           replace=False))  # fmt: skip
    hub_at = {rows.where[h]: h for h in hubs}
    for year, date, total, n in AWARDS:
        prog = rows.program(f"prog-award-{year}", f"三社联动示范社区奖补（{year}年）",
                            "demonstration_award", "city", "gov-3402", year,
                            synthetic=False, ref=R4)  # fmt: skip
        these = [c for c in chosen if year_of[c] == year]
        for c, amount in zip(these, split_total(rng, total, n, unit=10_000)):
            amount = int(amount)
            rows.edge(prog, c, "awards", date, synthetic=True, ref=R4, amount=float(amount),
                      program=prog)  # fmt: skip
            share = rng.uniform(0.30, 0.45) if c in below else rng.uniform(0.50, 0.80)
            units = share * amount / 1000
            pos = int(np.floor(units) if c in below else np.ceil(units)) * 1000
            spend_day = pd.Timestamp(date) + pd.Timedelta(days=int(rng.integers(10, 90)))
            hub = hub_at.get(c) or hub_at.get(c[:9])
            local = [m for m in members if rows.where[m] == c]
            cands = rows.active([*([hub] if hub else []), *local, *agencies], spend_day)
            k_rec = min(int(rng.integers(2, 4)), len(cands))
            for j, part in zip(
                rng.choice(len(cands), size=k_rec, replace=False),
                split_total(rng, pos, k_rec),
            ):
                rows.edge(c, cands[j], "funds", spend_day, synthetic=True, ref=R4,
                          amount=float(part), purpose="purchase_of_services", program=prog,
                          project="购买社会组织服务")  # fmt: skip
            # the rest seeds the community's fund, held by its hub (else a local member
            # organization, else an agency): community -> org, purpose community_fund
            holder = cands[0]
            rows.edge(c, holder, "funds", spend_day, synthetic=True, ref=R4,
                      amount=float(amount - pos), purpose="community_fund", program=prog,
                      project=f"{_short(names[c])}专项基金")  # fmt: skip

    # ---------------------------------------------------------------- micro venture philanthropy (二)
    for year in (2016, 2017, 2018, 2019):
        prog = rows.program(f"prog-mvp-{year}", f"社区微公益创投（{year}年）",
                            "micro_venture_philanthropy", "community", None, year,
                            synthetic=True, ref=R2)  # fmt: skip
        date = "2019-07-01" if year == 2019 else f"{year}-09-01"
        for hid in rows.active(hubs, f"{year}-01-01"):
            pool = rows.active(members_of[hid], date)
            if not pool:
                continue
            n = min(int(rng.integers(1, 4)), len(pool))
            for j in rng.choice(len(pool), size=n, replace=False):
                amount = 500.0 * int(rng.integers(4, 21))
                rows.edge(hid, pool[j], "funds", date, synthetic=True, ref=R2, amount=amount,
                          program=prog, project="微公益创投")  # fmt: skip

    nodes, edges = div.to_frames()
    nodes[COL.SYNTHETIC] = False
    nodes[COL.SOURCE_REF] = "NBS 2023 division codes"
    edges[COL.SYNTHETIC] = False
    edges[COL.SOURCE_REF] = "NBS 2023 division codes"
    nodes = pd.concat([nodes, pd.DataFrame(rows.nodes)], ignore_index=True)
    edges = pd.concat([edges, pd.DataFrame(rows.edges)], ignore_index=True)
    nodes[COL.SYNTHETIC] = nodes[COL.SYNTHETIC].astype(bool)
    edges[COL.SYNTHETIC] = edges[COL.SYNTHETIC].astype(bool)
    nodes["year"] = nodes["year"].astype("Int64")
    assert (nodes[COL.START].dropna() <= as_of).all() and (edges[COL.START].dropna() <= as_of).all()
    g = CivicGraph.from_frames(nodes, edges, validate=True)
    # the 2023 codes are not the communities of 2019: said beside the coverage figures
    g.attrs["notes"] = {"coverage": "boundary"}
    return g
