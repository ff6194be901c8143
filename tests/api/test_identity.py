from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing


def test_api_key_identifies_the_department(client, session):
    with committing(session):
        dept = auth.create_department(session, "gz-sthjj", "广州市生态环境局", "440100")
        key = auth.create_api_key(session, dept, "排污许可系统")
    body = client.get("/api/v1/whoami", headers={"X-API-Key": key}).json()
    assert body["kind"] == "api_key" and body["department_name"] == "广州市生态环境局"


def test_wrong_or_missing_key_is_401_in_chinese(client):
    response = client.get("/api/v1/whoami", headers={"X-API-Key": "xy_wrong"})
    assert response.status_code == 401
    assert response.json() == {"code": "auth.invalid_api_key", "message": "API 密钥无效或已停用"}
    assert client.get("/api/v1/whoami").json()["code"] == "auth.required"


def test_staff_session_identifies_the_user(client, session):
    with committing(session):
        auth.create_user(session, "zhou", "a-long-password", Role.REGULATOR, "440106")
    page = client.get("/admin/login").text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    client.post(
        "/admin/login", data={"username": "zhou", "password": "a-long-password", "csrf": csrf}
    )
    body = client.get("/api/v1/whoami").json()
    assert body["role_label"] == "监管部门" and body["region_code"] == "440106"
