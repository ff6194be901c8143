"""Signing in to the console in the browser, as a staff member does."""

from playwright.sync_api import Page


def sign_in(page: Page, live_server: str, username: str, password: str) -> None:
    page.goto(live_server + "/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
