"""Source paragraphs of the golden report PDFs. The truth text is built from these, never
from extraction."""

from __future__ import annotations

from .layout import Doc, Para

SCHOOL = "华东示范大学"
TITLE = f"{SCHOOL}2023年信息公开工作报告"

INTRO = (
    "根据《高等学校信息公开办法》（教育部令第29号）和《教育部办公厅关于做好高校信息公开年度"
    "报告工作的通知》要求，现将我校2022-2023学年信息公开工作情况报告如下。"
)
OVERVIEW = (
    "2022-2023学年，学校坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大精神，"
    "认真落实《高等学校信息公开事项清单》要求，坚持“公开为常态、不公开为例外”的原则，进一步健全"
    "信息公开工作机制，完善信息公开目录，拓展公开渠道，信息公开工作规范化、制度化水平不断提升。"
)
MECHANISM = (
    "学校信息公开工作领导小组统筹全校信息公开工作，党政办公室负责日常工作，各单位明确一名信息"
    "公开专员，形成了“统一领导、分工负责、协调配合”的工作格局。本学年共召开专题会议3次，修订"
    "《信息公开实施细则》等制度文件2项，组织专题培训2场，培训人员126人次。"
)
PROACTIVE = (
    "学校通过信息公开网、门户网站、官方微信公众号、微博、抖音等平台主动公开信息。本学年信息公开网"
    "发布各类信息1286条，门户网站发布新闻2315条、通知公告467条，官方微信公众号推送文章583篇，"
    "其中阅读量超过10万+的推文12篇，全面覆盖10大类50项清单事项。"
)
CHANNELS = (
    "学校不断完善“i华东”移动门户App的信息发布功能，上线服务事项186项，日均访问量超过3.5万人次。"
    "师生可通过Open Data Portal查询公开数据，也可通过信息公开网（http://xxgk.ecnu-demo.edu.cn）"
    "在线提交依申请公开请求。"
)
ADMISSION = (
    "招生信息通过教育部阳光高考平台（https://gaokao.chsi.com.cn）、学校本科招生网（http://zsb."
    "ecnu-demo.edu.cn/admission/2023/index.html）及各省级招生考试机构同时公开，招生章程、分省分专业"
    "计划、录取结果等信息均在规定时间内发布。"
)
ON_REQUEST = (
    "2022-2023学年，学校共收到信息公开申请9项，其中予以公开5项、部分公开2项、信息不存在1项、"
    "不属于本校公开范围1项，均在规定期限内答复，未收取任何费用。"
)
REVIEW = (
    "学校通过教代会、学代会、校长信箱及信息公开意见箱等渠道广泛听取师生和社会公众对信息公开工作的"
    "意见和建议，本学年共收到意见建议17条，均已及时办理并反馈，师生满意度达到98.6%。"
)
COMPLAINTS = "本学年度，学校未发生因信息公开工作引起的举报、行政复议和行政诉讼。"
PROBLEMS = (
    "学校信息公开工作虽然取得了一定成效，但仍存在一些不足：部分单位对信息公开工作的重视程度有待"
    "提高，公开内容的及时性和完整性还需加强，信息公开的解读和回应工作还不够深入。下一步，学校将"
    "持续加强队伍建设，完善考核评价机制，推进信息公开工作高质量发展。"
)
PLAN_ITEMS = [
    "1.加强培训指导，每学期至少组织一次信息公开专题培训。",
    "2．完善监督检查机制，将信息公开纳入年度考核。",
    "（1）定期开展信息公开自查自纠。",
    "（2）及时更新信息公开目录和指南。",
]
OTHER = "无其他需要报告的事项。"
TABLE_HEADING = "附件：清单事项公开情况表"
TABLE = [
    ["序号", "类别", "清单事项", "公开情况"],
    ["1", "基本信息", "办学规模、校级领导分工", "已公开"],
    ["2", "招生考试信息", "招生章程及特殊类型招生办法", "已公开"],
    ["3", "财务资产信息", "财务管理制度、年度预算决算", "已公开"],
    ["4", "人事师资信息", "校级领导干部任免", "已公开"],
    ["5", "教学质量信息", "本科教学质量报告", "已公开"],
]


def _body(heading_bold: bool = False) -> list[Para]:
    return [
        Para("body", INTRO),
        Para("heading", "一、信息公开工作概述", bold=heading_bold),
        Para("body", OVERVIEW),
        Para("heading", "（一）健全工作机制"),
        Para("body", MECHANISM),
        Para("heading", "二、主动公开情况", bold=heading_bold),
        Para("body", PROACTIVE),
        Para("heading", "(二)拓展公开渠道"),
        Para("body", CHANNELS, break_after="ecnu-demo.edu.cn", page_break=True),
        Para("body", ADMISSION, break_after="（h"),
        Para("heading", "三、依申请公开和不予公开情况"),
        Para("body", ON_REQUEST, break_after="共收到信息公开申请9", page_break=True),
        Para("heading", "四、对信息公开的评议情况"),
        Para("body", REVIEW),
        Para("heading", "五、因学校信息公开工作受到举报、复议、诉讼的情况"),
        Para("body", COMPLAINTS),
        Para("heading", "六、本年度信息公开工作的主要经验、问题和改进措施以及下一步工作的具体安排"),
        Para("body", PROBLEMS),
        *[Para("item", t) for t in PLAN_ITEMS],
        Para("heading", "七、其他需要报告的事项"),
        Para("body", OTHER),
    ]


def golden_docs() -> list[Doc]:
    """One document per page-number style, with varied headers, title and table placement."""
    sign = [Para("sign", SCHOOL), Para("sign", "2023年10月30日")]
    table = [Para("heading", TABLE_HEADING)]
    return [
        Doc(
            "slash",
            [Para("title", TITLE), *_body(True), *sign],
            footer="{p} / {n}",
            header=TITLE,
            table_after=None,
        ),
        Doc(
            "dash",
            [Para("title", TITLE), *_body(), *sign, *table],
            footer="- {p} -",
            header=None,
            table_after=TABLE_HEADING,
            table=TABLE,
        ),
        Doc(
            "emdash",
            [Para("title", f"{SCHOOL}2022-2023学年", split_title="信息公开工作报告"), *_body(True)],
            footer="— {p} —",
            header=SCHOOL,
            header_rule=True,
        ),
        Doc(
            "cn_total",
            [Para("title", TITLE), *_body(), *table, *sign],
            footer="第 {p} 页 共 {n} 页",
            header=TITLE,
            table_after=TABLE_HEADING,
            table=TABLE,
        ),
        Doc("cn_page", [Para("title", TITLE), *_body(True)], footer="第{p}页", header=None),
        Doc(
            "bare",
            [Para("title", TITLE), *_body(), *sign],
            footer="{p}",
            header=TITLE,
            footer_align="right",
            first_page_header=False,
        ),
    ]
