"""The dashboard in a real browser (Debian's chromium, driven by Playwright): while an import of
50,000 entities runs its bar moves, the job ends COMPLETED, and the entity tree, the asset
tree, the report's errors and the bucket show what the test made.

The screenshot taken during the import is kept under the test's tmp_path, or at the path in
TWINPORT_SCREENSHOT (which is how docs/dashboard.png is made).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.sitewise.sitewise_support import make_tree
from tests.transfer.helpers import entities_file, import_job, make_workspace, upload, wait_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Entities: enough for the import to run for several of the page's 1 s polls on a fast machine
# (100,000 once ran in under 2 s, and the bar was seen once).
BIG_IMPORT = 250_000
WAIT_MS = 60_000

# A small plant, and two entities the import cannot write: one uses a component type the
# workspace lacks, the other is its child.
PLANT = {
    "entities": [
        {"entityId": "plant", "entityName": "Plant"},
        {"entityId": "line-1", "entityName": "Line 1", "parentEntityId": "plant"},
        {"entityId": "line-2", "entityName": "Line 2", "parentEntityId": "plant"},
        {"entityId": "mixer-1", "entityName": "Mixer 1", "parentEntityId": "line-1"},
        {
            "entityId": "pump-9",
            "entityName": "Pump 9",
            "components": {"c": {"componentTypeId": "com.example.missing"}},
        },
        {"entityId": "valve-9", "entityName": "Valve 9", "parentEntityId": "pump-9"},
    ]
}


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 800})
        finally:
            browser.close()


def test_the_dashboard_follows_an_import_and_shows_what_it_made(twinport, page: Page, tmp_path):
    account = twinport.new_account()
    workspace = make_workspace(twinport, account, "plant", "plant-files")
    small = upload(twinport, account, "plant-files", "plant.json", PLANT)
    small_job = wait_for(twinport, account, import_job(twinport, account, small, workspace))
    sitewise = twinport.client("iotsitewise", account)
    tree = make_tree(sitewise)
    for line in tree["lines"]:
        sitewise.associate_assets(
            assetId=tree["plant"], hierarchyId=tree["hierarchy"], childAssetId=line
        )
    big = upload(twinport, account, "plant-files", "big.json", entities_file(BIG_IMPORT))
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    page.goto(f"{twinport.url}/_twinport/ui?account={account}&region=us-east-1")

    # The finished job with failures: its state, its error, and the errors of its report.
    small_card = job_card(page, small_job["metadataTransferJobId"])
    expect(small_card.locator(".state")).to_have_text("ERROR")
    expect(small_card.locator(".error")).to_contain_text("1 of 6 resources failed")
    small_card.locator("summary").click()
    expect(small_card.locator(".report")).to_contain_text("2 errors in the report")
    expect(small_card.locator(".report")).to_contain_text("DEPENDENCY_FAILED")
    expect(small_card.locator(".report")).to_contain_text("valve-9")
    # The entity tree, opened level by level; the asset tree by hierarchy.
    expand(page, "#entities", "plant")
    expand(page, "#entities", "line-1")
    expect(tree_node(page, "#entities", "mixer-1")).to_contain_text("Mixer 1")
    expect(page.locator("#asset-models")).to_contain_text("Lines → Line")
    expand(page, "#assets", tree["plant"])
    expect(tree_node(page, "#assets", tree["lines"][0])).to_contain_text("Line 1")
    expect(tree_node(page, "#assets", tree["lines"][0])).to_contain_text("in Lines")

    big_job = import_job(twinport, account, big, workspace)
    record_bar_values(page, big_job)
    card = job_card(page, big_job)
    page.screenshot(path=screenshot_path(tmp_path))

    expect(card.locator(".state")).to_have_text("COMPLETED", timeout=WAIT_MS)
    values = page.evaluate("window.barValues")
    assert len(set(values)) >= 2 and values[-1] > values[0], f"the bar did not move: {values}"
    written = BIG_IMPORT + 1  # and the file's one component type
    expect(card.locator(".counts")).to_have_text(f"{written:,} of {written:,}")
    # The job's end reloads the trees and the bucket.
    expand(page, "#entities", "e0")
    expect(tree_node(page, "#entities", "e1")).to_contain_text("entity 1")
    expect(page.locator("#workspace")).to_contain_text(f"{BIG_IMPORT + 4:,} entities")
    expect(page.locator("#buckets")).to_contain_text("plant-files")
    expect(page.locator("#objects")).to_contain_text("big.json")
    expect(page.locator("#objects")).to_contain_text(f"metadata-transfer-reports/{big_job}.json")
    assert page_errors == []


def job_card(page: Page, job_id: str):
    card = page.locator(f'article.job[data-job-id="{job_id}"]')
    expect(card).to_be_visible(timeout=WAIT_MS)
    return card


def tree_node(page: Page, tree: str, node_id: str):
    return page.locator(f'{tree} li[data-id="{node_id}"]')


def expand(page: Page, tree: str, node_id: str) -> None:
    node = tree_node(page, tree, node_id)
    node.locator(":scope > .toggle").click(timeout=WAIT_MS)
    expect(node.locator(":scope > ul > li").first).to_be_visible()


def record_bar_values(page: Page, job_id: str) -> None:
    """From now on the page itself notes each value the job's bar shows while it runs (into
    `window.barValues`): a poll from here could miss a short run on a busy machine."""
    page.evaluate(
        """jobId => {
          window.barValues = [];
          const note = () => {
            const card = document.querySelector(`article.job[data-job-id="${jobId}"]`);
            const bar = card && card.querySelector("progress");
            const state = card && card.querySelector(".state");
            if (bar && state && state.textContent === "RUNNING" && bar.hasAttribute("value")) {
              window.barValues.push(bar.value);
            }
          };
          const options = { subtree: true, childList: true, attributes: true, characterData: true };
          new MutationObserver(note).observe(document.body, options);
        }""",
        job_id,
    )


def screenshot_path(tmp_path: Path) -> Path:
    return Path(os.environ.get("TWINPORT_SCREENSHOT") or tmp_path / "dashboard.png")
