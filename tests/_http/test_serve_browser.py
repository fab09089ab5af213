"""The upload page of ``corengine serve`` in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium): choose a filled workbook, get the HTML report, then the action plan.

Skipped, saying why, where Selenium, Chromium or its driver is not installed (``.ci/run`` installs them).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from corengine import Engine
from tests.helpers import EXAMPLES, blank, fill, serving, yaml_data

PASS = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(
        f"no headless browser: {CHROMIUM} and {CHROMEDRIVER} are needed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``corengine serve`` on a free loopback port, as a user starts it."""
    with serving(tmp_path_factory.mktemp("serve")) as (_, base, _):
        yield base


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tmp_path / "profile"
    options.add_argument(f"--user-data-dir={profile}")
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """The Alberta example audit, typed into a blank workbook as `corengine new` makes it."""
    path = blank(Engine(), tmp_path, "ab-acsa-cor", "COR", "acme-audit.xlsx")
    fill(path, yaml_data(PASS))
    return path


def test_uploading_a_workbook_gives_the_report_then_the_plan(server: str, browser: WebDriver, workbook: Path) -> None:
    driver = browser
    driver.get(f"{server}/")
    assert driver.title == "corengine: score an audit"
    driver.find_element(By.ID, "audit").send_keys(str(workbook))
    driver.find_element(By.ID, "report").click()
    WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "verdict")))
    verdict = driver.find_element(By.CLASS_NAME, "verdict").text
    assert verdict.startswith("PASSED")
    employer = yaml_data(PASS)["employer"]["name"]
    assert employer in driver.find_element(By.TAG_NAME, "body").text
    assert driver.current_url == f"{server}/v1/report?format=html"

    driver.back()
    WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.ID, "plan-json")))
    driver.find_element(By.ID, "audit").send_keys(str(workbook))
    driver.find_element(By.ID, "plan-json").click()
    WebDriverWait(driver, 60).until(lambda d: d.current_url.endswith("/v1/plan"))
    shown = driver.find_element(By.TAG_NAME, "body").text
    assert set(json.loads(shown)) == {"rule", "actions", "path_to_pass"}


def test_a_bad_upload_shows_a_page_listing_the_problems(server: str, browser: WebDriver, tmp_path: Path) -> None:
    driver = browser
    bad = tmp_path / "audit.yaml"
    bad.write_text("standard: ab-acsa-cor\nemployer: [unclosed\n", encoding="utf-8")
    driver.get(f"{server}/")
    driver.find_element(By.ID, "audit").send_keys(str(bad))
    driver.find_element(By.ID, "report").click()
    WebDriverWait(driver, 60).until(lambda d: d.current_url.endswith("/v1/report?format=html"))
    assert driver.find_element(By.ID, "title").text == "Unreadable body (400)"
    row = driver.find_element(By.CSS_SELECTOR, "#problems tbody tr").find_elements(By.TAG_NAME, "td")
    assert [cell.text for cell in row[:2]] == ["audit.yaml", "line 3, column 1"]
    driver.find_element(By.ID, "back").click()
    WebDriverWait(driver, 60).until(lambda d: d.current_url == f"{server}/")
    assert driver.find_element(By.ID, "audit").get_attribute("type") == "file"
