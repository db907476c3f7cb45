"""List pagers written by script, read without running the script.

- (`createPageHTML(count, current, "index", "html")` pagers are inferred by crawler.paging.)
- ASP.NET WebForms pagers are `javascript:__doPostBack('target','Page$N')` links that post the
  page's form with its hidden fields (__VIEWSTATE, __EVENTVALIDATION ...). The crawler replays
  that post (a `FormRequest` of the form's own fields) instead of clicking in a browser: the
  answer is plain HTML, each page costs one request (no 100 MB browser, no second per page),
  goes through the same middlewares, politeness and fetch log as any request, and is
  deterministic; the browser would only add the two form fields that `__doPostBack` sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapy.http import FormRequest, TextResponse

POSTBACK = re.compile(r"__doPostBack\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)")
PAGE_ARGUMENT = re.compile(r"^Page\$(\d+)$")


@dataclass(frozen=True)
class PostBack:
    target: str
    argument: str
    page: int
    form_action: str

    @property
    def key(self) -> tuple[str, str, str]:
        """One request per form, pager and page number, whichever page linked it."""
        return self.form_action, self.target, self.argument


def postback_pages(response: TextResponse) -> list[PostBack]:
    """Numbered `__doPostBack(target, 'Page$N')` pager links inside a posting form."""
    found: dict[tuple[str, str, str], PostBack] = {}
    for form in response.css("form"):
        if (form.attrib.get("method") or "get").lower() != "post":
            continue
        action = response.urljoin(form.attrib.get("action") or response.url)
        for href in form.css("a::attr(href)").getall():
            match = POSTBACK.search(href)
            if not match:
                continue
            target, argument = match.groups()
            number = PAGE_ARGUMENT.match(argument)
            if not number:  # Page$Next / Page$Last depend on the page posted from: skipped
                continue
            postback = PostBack(target, argument, int(number.group(1)), action)
            found.setdefault(postback.key, postback)
    return sorted(found.values(), key=lambda p: p.page)


def postback_request(response: TextResponse, postback: PostBack, **kwargs) -> FormRequest:
    """The form post `__doPostBack` would send: the form's own fields plus the two it sets."""
    form = response.xpath(f'//form[.//a[contains(@href, "{postback.argument}")]]')[0]
    fields: list[tuple[str, str]] = []
    for field in form.css("input[name], select[name], textarea[name]"):
        name = field.attrib["name"]
        kind = (field.attrib.get("type") or "text").lower()
        if name in ("__EVENTTARGET", "__EVENTARGUMENT") or kind in _NOT_SENT:
            continue  # buttons are not sent by a script-submitted form
        if kind in ("checkbox", "radio") and "checked" not in field.attrib:
            continue
        if field.root.tag == "select":
            chosen = field.css("option[selected]::attr(value)").get()
            value = chosen if chosen is not None else field.css("option::attr(value)").get("")
        elif field.root.tag == "textarea":
            value = "".join(field.css("::text").getall())
        else:
            value = field.attrib.get("value", "")
        fields.append((name, value))
    fields += [("__EVENTTARGET", postback.target), ("__EVENTARGUMENT", postback.argument)]
    return FormRequest(postback.form_action, formdata=fields, **kwargs)


_NOT_SENT = {"submit", "button", "image", "reset", "file"}
