"""Generate the example informant register of Baoshan (示例数据，人员均为虚构).

Writes ``resources/sample/baoshan_register_sample.csv``: 1,434 fictional people over the four
levels, on the official 2023 codes of ``resources/divisions/baoshan_divisions_2023.csv``:

- the city post of 保山市: A and B (2);
- each of the 5 counties: A and B (10);
- each of the 76 townships: A and B (152);
- each of the 957 villages an A (957), and 313 of them also a B (313).

Names come from common surnames and given names (by gender), phone numbers are made up
(``1380875`` then four digits from 3000 up), register ids run ``BS-000001`` …  The posts the
Baoshan sample accounts hold (``city-server init --sample baoshan``: the A of 瓦房彝族苗族乡,
A and B of 瓦房社区 and 水沟洼村, the A of 党西村) are held by those same people, with the
sample's names and phones, so importing the register into the sample matches them by phone
and keeps their accounts; 党西村 has no B (the demo assigns ``dangxi_b``).  The seed is fixed,
so the file is the same on every run::

    python tools/make_register.py            # writes the file
    python tools/make_register.py --check    # exit 1 when the file differs from a fresh one
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIVISIONS = ROOT / "resources" / "divisions" / "baoshan_divisions_2023.csv"
OUT = ROOT / "resources" / "sample" / "baoshan_register_sample.csv"
SEED = 20230530
CITY = "530500000000"
VILLAGES_WITH_B = 313

HEADER = (
    "登记号",
    "姓名",
    "性别",
    "手机号",
    "备用电话",
    "工作单位",
    "职务",
    "层级",
    "岗位区划代码",
    "AB角",
    "任职日期",
    "培训情况",
)
SURNAMES = tuple(
    "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
    "程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜"
    "范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤"
)
GIVEN = {
    "男": tuple("明华平刚军勇伟强磊洋杰涛斌超波辉鹏飞建国文志永春海林成荣福贵兴宇浩凯鑫晨"),
    "女": tuple("华平艳芳娟敏静丽霞燕红梅兰英春秋云琼秀玲萍莉婷雪琳慧佳晨"),
}
#: The sample accounts' posts: (division, A/B) → (name, phone) as ``sync/server/sample.py``.
SAMPLE_PEOPLE = {
    ("530502208000", "A"): ("瓦房乡应急办", "13808752080"),
    ("530502208201", "A"): ("瓦房社区信息员A", "13808752011"),
    ("530502208201", "B"): ("瓦房社区信息员B", "13808752012"),
    ("530502208206", "A"): ("水沟洼村信息员A", "13808752021"),
    ("530502208206", "B"): ("水沟洼村信息员B", "13808752022"),
    ("530502208207", "A"): ("党西村信息员A", "13808752031"),
}
#: 党西村: its B is assigned in the demo, so the register names none.
NO_B = {"530502208207"}
TITLES = {
    "city": ("副局长", "应急指挥科科长", "风险监测科科长", "办公室主任"),
    "county": ("副局长", "应急管理股股长", "灾害救助股股长", "综合股干部"),
    "township": ("应急管理办公室主任", "副乡（镇）长", "应急办干事", "党政办主任"),
    "village": ("村委会主任", "村委会副主任", "文书", "综治专干", "村民小组长", "护林员"),
}
LEVEL_WORDS = {"city": "市级", "county": "县级", "township": "乡镇级", "village": "村级"}
TRAINING = ("已培训（2023年）", "已培训（2024年）", "已培训（2022年）", "未培训")


@dataclass(frozen=True)
class Division:
    """A division of the official table."""

    code: str
    name: str
    level: str
    parent_code: str


def read_divisions(path: Path = DIVISIONS) -> list[Division]:
    """Return the divisions of the official Baoshan table, in the file's order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Division(r["code"], r["name"], r["level"], r["parent_code"])
            for r in csv.DictReader(handle)
        ]


def _unit(division: Division) -> str:
    """The work unit: the county's or city's bureau, the township's government, the village."""
    if division.level in ("city", "county"):
        return f"{division.name}应急管理局"
    if division.level == "township":
        return f"{division.name}人民政府"
    return division.name


def _posts(divisions: list[Division], rng: random.Random) -> list[tuple[Division, str]]:
    """Return (division, A/B) for every post of the register, city first, then by county."""
    by_parent: dict[str, list[Division]] = {}
    for d in divisions:
        by_parent.setdefault(d.parent_code, []).append(d)
    sample_b = {code for code, role in SAMPLE_PEOPLE if role == "B"}
    others = [
        d
        for d in divisions
        if d.level == "village" and d.code not in sample_b and d.code not in NO_B
    ]
    with_b = sample_b | {d.code for d in rng.sample(others, VILLAGES_WITH_B - len(sample_b))}
    city = next(d for d in divisions if d.code == CITY)
    posts = [(city, "A"), (city, "B")]
    for county in by_parent.get(CITY, []):
        posts += [(county, "A"), (county, "B")]
        for township in by_parent.get(county.code, []):
            posts += [(township, "A"), (township, "B")]
            for village in by_parent.get(township.code, []):
                posts.append((village, "A"))
                if village.code in with_b:
                    posts.append((village, "B"))
    return posts


def build_rows(divisions: list[Division]) -> list[list[str]]:
    """Return the register's rows (without the header), the same for the same table."""
    rng = random.Random(SEED)
    posts = _posts(divisions, rng)
    suffixes = rng.sample(range(3000, 10000), len(posts))
    backups = rng.sample(range(1000, 10000), len(posts))
    rows = []
    for number, ((division, post_role), suffix, backup) in enumerate(
        zip(posts, suffixes, backups, strict=True), start=1
    ):
        gender = rng.choice(("男", "男", "女"))
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN[gender], k=rng.choice((1, 2, 2))))
        phone = f"1380875{suffix:04d}"
        name, phone = SAMPLE_PEOPLE.get((division.code, post_role), (name, phone))
        backup_phone = ""
        roll = rng.random()
        if roll < 0.35:
            backup_phone = f"1390875{backup:04d}"
        elif roll < 0.5:
            backup_phone = f"0875-{rng.randint(2100000, 2999999)}"
        appointed = date(2015, 1, 1) + timedelta(days=rng.randint(0, 9 * 365))
        rows.append(
            [
                f"BS-{number:06d}",
                name,
                gender,
                phone,
                backup_phone,
                _unit(division),
                rng.choice(TITLES[division.level]),
                LEVEL_WORDS[division.level],
                division.code,
                f"{post_role}角",
                appointed.isoformat(),
                rng.choice(TRAINING),
            ]
        )
    return rows


def render(rows: list[list[str]]) -> str:
    """Return the CSV text (UTF-8 with BOM so that Excel shows the Chinese)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) the example register; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args(argv)
    text = render(build_rows(read_divisions()))
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == text.encode("utf-8")
        print("up to date" if same else f"differs: run python {Path(__file__).name}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    print(f"wrote {args.out} ({len(text.splitlines()) - 1} people)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
