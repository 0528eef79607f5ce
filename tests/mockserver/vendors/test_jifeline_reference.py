"""Jifeline's reference data: customers with their locations and employees, vehicle makes and models, locales."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import make_client

SLUG = "jifeline"
API = "/jifeline/v2"
BEARER = {"Authorization": "Bearer mock-token"}
CUSTOMER_EXAMPLE = "5d0c3a8e-7f2b-4c61-9a4e-2b8f1e6d7c90"
UNKNOWN = "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94"


@pytest.fixture
def client() -> Any:
    return make_client(SLUG)


def get(client: Any, path: str, **query: Any) -> Any:
    answer = client.get(API + path, params=query, headers=BEARER)
    assert answer.status_code == 200, (path, answer.text)
    return answer.json()


def test_every_ticket_points_at_a_readable_customer_and_vehicle_model(client: Any) -> None:
    tickets = get(client, "/tickets/tickets", limit=1000)["result"]
    for ticket in tickets:
        customer = get(client, f"/customers/{ticket['customer_id']}")
        assert customer["id"] == ticket["customer_id"] and customer["enabled"] is True
        model = get(client, f"/vehicles/models/{ticket['vehicle_model_id']}")
        assert model["id"] == ticket["vehicle_model_id"]
        assert get(client, f"/vehicles/makes/{model['make_id']}")["id"] == model["make_id"]
        assert "$battery_voltage" not in model


def test_customers_are_listed_by_name_in_the_list_envelope(client: Any) -> None:
    page = get(client, "/customers", limit=1000)
    names = [c["company_name"] for c in page["result"]]
    assert page["total"] == len(names) == 7 and names == sorted(names)
    assert page["query"] == {"limit": 1000, "offset": 0}
    assert get(client, "/customers", limit=2, offset=2)["result"] == page["result"][2:4]


@pytest.mark.parametrize("kind", ["locations", "employees"])
def test_a_customers_locations_and_employees(client: Any, kind: str) -> None:
    every = get(client, f"/customers/{kind}", limit=1000)
    assert every["total"] == len(every["result"]) >= 7
    customers = {c["id"] for c in get(client, "/customers", limit=1000)["result"]}
    assert {r["customer_id"] for r in every["result"]} == customers  # every customer has some
    mine = get(client, f"/customers/{kind}", customer_id=CUSTOMER_EXAMPLE)
    assert mine["query"] == {"limit": 25, "offset": 0, "customer_id": CUSTOMER_EXAMPLE}
    assert mine["total"] == 2 and all(r["customer_id"] == CUSTOMER_EXAMPLE for r in mine["result"])
    for record in mine["result"]:
        assert get(client, f"/customers/{kind}/{record['id']}") == record
    assert get(client, f"/customers/{kind}", customer_id=UNKNOWN)["total"] == 0


def test_employees_work_at_a_location_of_their_customer(client: Any) -> None:
    for employee in get(client, "/customers/employees", limit=1000)["result"]:
        location = get(client, f"/customers/locations/{employee['location_id']}")
        assert location["customer_id"] == employee["customer_id"]


def test_locales_cover_every_customer_and_employee(client: Any) -> None:
    page = get(client, "/system/locales", limit=1000)
    codes = [locale["code"] for locale in page["result"]]
    assert codes == sorted(codes) and page["total"] == len(codes)
    used = {c["locale"] for c in get(client, "/customers", limit=1000)["result"]}
    used |= {e["locale"] for e in get(client, "/customers/employees", limit=1000)["result"]}
    assert used <= set(codes) and {"nl-NL", "nl-BE"} <= used


@pytest.mark.parametrize("path", [f"/customers/{UNKNOWN}", f"/customers/locations/{UNKNOWN}",
                                  f"/customers/employees/{UNKNOWN}", "/vehicles/makes/999999",
                                  "/vehicles/models/999999"])
def test_unknown_ids_are_404_problems(client: Any, path: str) -> None:
    answer = client.get(API + path, headers=BEARER)
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    assert path.rsplit("/", 1)[1] in answer.json()["detail"]


@pytest.mark.parametrize("path", ["/customers/van-dijk", "/customers/locations/42", "/customers/employees/7"])
def test_malformed_ids_are_400_problems(client: Any, path: str) -> None:
    answer = client.get(API + path, headers=BEARER)
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert "is not a 'uuid'" in answer.json()["detail"]


@pytest.mark.parametrize("path", ["/vehicles/makes/vw", "/vehicles/models/1.5"])
def test_non_integer_vehicle_ids_match_no_route(client: Any, path: str) -> None:
    """Connexion routes integer path parameters with Starlette's int converter: anything else is no route."""
    answer = client.get(API + path, headers=BEARER)
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"


def test_the_paths_under_customers_do_not_shadow_each_other(client: Any) -> None:
    """`/customers/locations` is the locations list, not the customer with id 'locations'."""
    assert "result" in get(client, "/customers/locations")
    assert "result" in get(client, "/customers/employees")
