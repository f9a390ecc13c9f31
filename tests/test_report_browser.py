"""End to end: `zhclean clean --report` on the seeds, then the report opened in headless Chromium.

Uses Debian's `chromium` and `chromium-driver` (never a browser or driver downloaded by a tool). Outside
CI the test is skipped when they are missing; in CI (CI=true) it must run. Set ZHCLEAN_SCREENSHOT=PATH to
keep the screenshot (docs/report.png is made this way).
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from zhclean.cli import main

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PINYIN = r"^\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)$"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _browser_or_skip():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        message = f"headless Chromium needs {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    out, html = tmp / "out.jsonl", tmp / "report.html"
    args = ["clean", *map(str, SEED_FILES), "-o", str(out), "--script", "keep", "-j", "1"]
    try:
        code = main([*args, "--report", str(html)])
    except SystemExit:  # until `clean --report` exists: clean, then report
        code = None
    if code != 0 or not html.exists():
        assert main(args + ["--force"]) == 0
        assert main(["report", str(out), "-o", str(html)]) == 0
    return html


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_report_in_headless_chromium(report, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    assert browser.execute_script("return document.body.dataset.ready") == "1"
    assert browser.execute_script("return window.__errors || null") is None

    # charts: SVG bars drawn with a real size, one chart per subject
    bars = browser.execute_script(
        "return [...document.querySelectorAll('svg.chart')].map(s => [s.getAttribute('aria-label'),"
        " [...s.querySelectorAll('rect.bar')].filter(r => r.getBoundingClientRect().width > 0).length])"
    )
    charts = dict(bars)
    assert charts["edits per kind"] >= 3 and charts["documents per script"] >= 1
    assert charts["document length (characters)"] >= 2

    # the list holds the five seeds; searching narrows it to one
    rows = browser.find_elements(By.CSS_SELECTOR, "#doc-list tbody tr")
    assert len(rows) == 5
    seed = SEED_FILES[0].stem
    browser.find_element(By.ID, "q").send_keys(seed[:8])
    browser.implicitly_wait(0)
    for _ in range(50):
        rows = browser.find_elements(By.CSS_SELECTOR, "#doc-list tbody tr")
        if len(rows) == 1:
            break
        browser.execute_script("return new Promise(r => setTimeout(r, 100))")
    browser.implicitly_wait(5)
    assert len(rows) == 1 and seed in rows[0].text
    rows[0].click()

    # side by side: the ruby pinyin is highlighted in the original, gone from the cleaned text
    ruby = browser.find_elements(By.CSS_SELECTOR, '#orig del.chg[data-step~="ruby"]')
    assert len(ruby) > 50
    first = ruby[0]
    assert re.search(PINYIN, first.text), first.text
    assert "ruby" in first.get_attribute("title")
    assert first.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    cleaned = browser.find_element(By.ID, "clean").text
    assert not re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", cleaned)
    assert "調研" in cleaned

    # removed lines are struck through and labelled with their class
    removed = browser.find_elements(By.CSS_SELECTOR, "#orig del.chg.removed")
    assert removed and "line-through" in removed[0].value_of_css_property("text-decoration-line")
    assert browser.find_element(By.CSS_SELECTOR, "#orig .tag").text

    # extracted metadata beside the text
    assert "title" in browser.find_element(By.ID, "meta").text

    browser.execute_script("document.getElementById('viewer').scrollIntoView()")
    shot = Path(os.environ.get("ZHCLEAN_SCREENSHOT") or tmp_path / "report.png")
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000
