"""Headless Chromium through Selenium (Debian `chromium` + `chromium-driver`), with the page's CSP
violations, alerts and console collected from the first script on, and screenshots."""
import pathlib
import shutil

import pytest

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By  # noqa: F401 - re-exported for tests
except ImportError:  # pragma: no cover - scripts/install-deps installs it
    webdriver = None

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
PHONE = (390, 844)
DESKTOP = (1280, 900)

# Runs before any script of every page: records CSP violations and alert() calls where tests can read them.
PROBE = """
window.__onair = { csp: [], alerts: [] };
document.addEventListener('securitypolicyviolation', function (e) {
  window.__onair.csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
['alert', 'confirm', 'prompt'].forEach(function (name) {
  window[name] = function (message) { window.__onair.alerts.push(name + ':' + message); };
});
"""


class Browser:
    def __init__(self, width=DESKTOP[0], height=DESKTOP[1]):
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--autoplay-policy=no-user-gesture-required", "--mute-audio=false",
                    "--hide-scrollbars", f"--window-size={width},{height}", "--lang=en-GB"):
            options.add_argument(arg)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        self.extra_scripts = []
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})

    def add_init_script(self, source: str):
        """Evaluated in every new document before the page's own scripts."""
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})

    def get(self, url):
        self.driver.get(url)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def text(self, element_id):
        return self.js("var e = document.getElementById(arguments[0]); return e ? e.textContent : null;", element_id)

    def visible(self, element_id):
        return self.js("var e = document.getElementById(arguments[0]);"
                       "return !!e && !e.hidden && !e.closest('[hidden]') && e.getClientRects().length > 0;",
                       element_id)

    def csp_violations(self):
        found = list(self.js("return (window.__onair && window.__onair.csp) || [];"))
        for entry in self.console():
            if "Content Security Policy" in entry.get("message", ""):
                found.append(entry["message"])
        return found

    def alerts(self):
        return list(self.js("return (window.__onair && window.__onair.alerts) || [];"))

    def console(self):
        try:
            return self.driver.get_log("browser")
        except Exception:  # noqa: BLE001 - not every driver keeps logs
            return []

    def size(self, width, height):
        self.driver.set_window_size(width, height)

    def color_scheme(self, scheme):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": scheme}]})

    def timezone(self, zone):
        self.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})

    def screenshot(self, name, full_page=True):
        """Saves test-output/screenshots/NAME.png (the whole page when full_page)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if full_page:
            import base64
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            width = self.js("return window.innerWidth;")
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 6000), "scale": 1}})
            path.write_bytes(base64.b64decode(shot["data"]))
        else:
            self.driver.save_screenshot(str(path))
        return path

    def quit(self):
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - already gone
            pass


@pytest.fixture
def browser():
    """A fresh headless Chromium (desktop size); quit at teardown whatever happened."""
    if webdriver is None:
        pytest.fail("selenium is missing: run scripts/install-deps")
    instance = Browser()
    yield instance
    instance.quit()
