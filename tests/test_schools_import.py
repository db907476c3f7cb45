"""`xxgk schools import`: the ministry list into `schools`, portals guessed on the fixture world."""

from __future__ import annotations

import csv

from archive import Archive
from tests.conftest import FAST_SETTINGS, run_xxgk

HEADER = "seq,code,name,authority,province,city,level,remark,website,host,registrable_domain"
ROWS = [
    ("4144010566", "广东海洋大学", "广东省", "湛江市", "www.gdou.edu.cn"),
    ("4135010386", "福州大学", "福建省", "福州市", "www.fzu.edu.cn"),
    ("4153010674", "昆明理工大学", "云南省", "昆明市", "www.kmust.edu.cn"),
    ("4142011072", "江汉大学", "湖北省", "武汉市", "www.jhun.edu.cn"),
    ("4111010001", "北京大学", "北京市", "北京市", "www.pku.edu.cn"),
    ("4111010002", "中国人民大学", "北京市", "北京市", ""),
]


def test_import_loads_the_list_and_finds_portals(world_server, tmp_path):
    port = world_server.port
    listing = tmp_path / "institutions.csv"
    lines = [HEADER]
    for seq, (code, name, province, city, host) in enumerate(ROWS, start=1):
        website = f"http://{host}:{port}/" if host else ""
        lines.append(f"{seq},{code},{name},教育部,{province},{city},本科,,{website},{host},")
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [
        "schools",
        "import",
        str(listing),
        "--data",
        str(tmp_path / "data"),
        "--allow-private-addresses",
    ]
    for entry in world_server.resolve_args():
        args += ["--resolve", entry]
    for setting in FAST_SETTINGS:
        args += ["--set", setting]
    result = run_xxgk(*args)
    assert "6 schools loaded" in result.stderr
    assert "4 portals found" in result.stderr

    with (tmp_path / "data" / "registry.csv").open(encoding="utf-8") as handle:
        registry = list(csv.DictReader(handle))
    assert registry == [
        {"code": "4135010386", "name": "福州大学", "portal_url": f"http://xwgk.fzu.edu.cn:{port}/"},
        {
            "code": "4142011072",
            "name": "江汉大学",
            "portal_url": f"http://www.jhun.edu.cn:{port}/a/xinxigongkai/",
        },
        {
            "code": "4144010566",
            "name": "广东海洋大学",
            "portal_url": f"http://xxgk.gdou.edu.cn:{port}/",
        },
        {
            "code": "4153010674",
            "name": "昆明理工大学",
            "portal_url": f"http://www.kmust.edu.cn:{port}/xxgk1/",
        },
    ]
    schools = Archive(tmp_path / "data").db["schools"]
    assert schools.get("4111010001")["province"] == "北京市"
    assert schools.get("4111010001")["portal_url"] is None
    assert schools.get("4111010002")["website"] == ""


def test_import_rejects_a_malformed_list(tmp_path):
    listing = tmp_path / "bad.csv"
    listing.write_text("code,name,authority,province,city,level\n12,某大学,,,,\n", "utf-8")
    result = run_xxgk("schools", "import", str(listing), "--data", str(tmp_path), check=False)
    assert result.returncode == 1
    assert f"Error: {listing}:2: code '12' is not a 10-digit 学校标识码" in result.stderr
