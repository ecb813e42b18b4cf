"""An asset model's definition (properties, hierarchies, composite models), built from a request.

Requests arrive in one vocabulary, that of the SiteWise bulk file, whatever their origin: each
member may carry an `id`, an `externalId` or both, and references name their target by id or
by external id (`childAssetModelId` / `childAssetModelExternalId`, ...). The API handlers
translate `externalId:` CustomIDs into that vocabulary before calling in here.

The stored definition is the resolved form: every member has its UUID, every reference to
another model is that model's UUID. A member given with the id or external id of an existing
member is that member (its id kept); any other member is new. Expression variables that name a
property or hierarchy by name or external id are resolved to UUIDs as SiteWise does; a variable
that names nothing known is kept as given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from twinport.domain.members import compact
from twinport.domain.sitewise.faults import invalid_request, not_found
from twinport.domain.sitewise.ids import EXTERNAL_PREFIX, Ref, is_uuid, new_id
from twinport.store.sitewise import AssetModelRecord

PROPERTY_KINDS = ("attribute", "measurement", "transform", "metric")
ASSET_MODEL = "ASSET_MODEL"

FindModel = Callable[[Ref], AssetModelRecord | None]


@dataclass
class AssetModelInput:
    """What a request says an asset model is: all of it, except that a `model_type` or `tags`
    left None keep what the model has (a new model: ASSET_MODEL, no tags)."""

    name: str
    id: str | None = None
    external_id: str | None = None
    description: str | None = None
    model_type: str | None = None
    properties: list[dict] = field(default_factory=list)
    hierarchies: list[dict] = field(default_factory=list)
    composite_models: list[dict] = field(default_factory=list)
    tags: dict[str, str] | None = None


def empty_definition() -> dict:
    return {"properties": [], "hierarchies": [], "compositeModels": []}


def all_properties(definition: dict) -> list[tuple[dict, dict | None]]:
    """(property, its composite model or None) for every property of a definition."""
    found: list[tuple[dict, dict | None]] = [(p, None) for p in definition["properties"]]
    for composite in definition["compositeModels"]:
        found += [(p, composite) for p in composite["properties"]]
    return found


class PropertyIndex:
    """The properties of a definition, each with its composite model or None, by id and by
    external id."""

    def __init__(self, definition: dict):
        self._by_id: dict[str, tuple[dict, dict | None]] = {}
        self._by_external_id: dict[str, tuple[dict, dict | None]] = {}
        for found in all_properties(definition):
            self._by_id.setdefault(found[0]["id"], found)
            if found[0].get("externalId"):
                self._by_external_id.setdefault(found[0]["externalId"], found)

    def find(self, ref: Ref) -> tuple[dict, dict | None] | None:
        """The property `ref` names (by its id if it gives one, else by external id)."""
        if ref.id is not None:
            return self._by_id.get(ref.id)
        return self._by_external_id.get(ref.external_id) if ref.external_id else None


def member_ids(definition: dict) -> tuple[set[str], set[str]]:
    """(property ids, hierarchy ids) of a definition."""
    return {p["id"] for p, _ in all_properties(definition)}, {
        h["id"] for h in definition["hierarchies"]
    }


def build_definition(
    model_id: str,
    model_external_id: str | None,
    request: AssetModelInput,
    existing: dict | None,
    find_model: FindModel,
) -> dict:
    """The resolved definition of model `model_id` for `request`, replacing `existing`."""
    existing = existing or empty_definition()
    builder = _Builder(model_id, model_external_id, find_model)
    properties = builder.properties(request.properties, existing["properties"], "asset model")
    hierarchies = builder.hierarchies(request.hierarchies, existing["hierarchies"])
    composites = builder.composites(request.composite_models, existing["compositeModels"])
    definition = {
        "properties": properties,
        "hierarchies": hierarchies,
        "compositeModels": composites,
    }
    _resolve_variables(model_id, definition, find_model)
    return definition


class _Builder:
    def __init__(self, model_id: str, model_external_id: str | None, find_model: FindModel):
        self.model_id = model_id
        self.model_external_id = model_external_id
        self.find_model = find_model
        # Member ids are unique across the whole model, whatever kind of member.
        self.used_ids: set[str] = set()

    def properties(self, items: list[dict], existing: list[dict], where: str) -> list[dict]:
        matcher = _Matcher("property", existing, where)
        built = []
        for item in items:
            member_id, external_id, match = matcher.identify(item)
            self._claim(member_id)
            built.append(_property(item, member_id, external_id, match))
        return built

    def hierarchies(self, items: list[dict], existing: list[dict]) -> list[dict]:
        matcher = _Matcher("hierarchy", existing, "asset model")
        built = []
        for item in items:
            member_id, external_id, match = matcher.identify(item)
            self._claim(member_id)
            child = Ref(item.get("childAssetModelId"), item.get("childAssetModelExternalId"))
            built.append(
                compact(
                    id=member_id,
                    externalId=external_id,
                    name=item["name"],
                    childAssetModelId=self._model_id_of(child),
                )
            )
        return built

    def composites(self, items: list[dict], existing: list[dict]) -> list[dict]:
        """Composite models. The API cannot restate a composite's composed model or parent, so
        a composite that names neither keeps those of the one it replaces."""
        matcher = _Matcher("composite model", existing, "asset model")
        built, parents = [], []
        for item in items:
            member_id, external_id, match = matcher.identify(item)
            self._claim(member_id)
            where = f"composite model '{item['name']}'"
            own = match["properties"] if match else []
            composed = Ref(
                item.get("composedAssetModelId"), item.get("composedAssetModelExternalId")
            )
            parent = Ref(item.get("parentId"), item.get("parentExternalId"))
            if match is not None:
                composed = composed or Ref(match.get("composedAssetModelId"))
                parent = parent or Ref(match.get("parentId"))
            parents.append(parent)
            built.append(
                compact(
                    id=member_id,
                    externalId=external_id,
                    name=item["name"],
                    type=item["type"],
                    description=item.get("description"),
                    composedAssetModelId=self._component_model_id(composed) if composed else None,
                    properties=self.properties(item.get("properties") or [], own, where),
                )
            )
        for parent, composite in zip(parents, built, strict=True):
            if parent:
                composite["parentId"] = _composite_id(parent, composite, built)
        return built

    def _claim(self, member_id: str) -> None:
        if member_id in self.used_ids:
            raise invalid_request(f"The ID {member_id} is used by more than one model member.")
        self.used_ids.add(member_id)

    def _model_id_of(self, ref: Ref) -> str:
        if ref.names({"id": self.model_id, "externalId": self.model_external_id}):
            return self.model_id
        model = self.find_model(ref)
        if model is None:
            raise not_found(f"Asset model {ref} does not exist.")
        return model.id

    def _component_model_id(self, ref: Ref) -> str:
        model = self.find_model(ref)
        if model is None:
            raise not_found(f"Asset model {ref} does not exist.")
        if model.model_type == ASSET_MODEL:
            raise invalid_request(
                f"Asset model {model.id} is not a component model and cannot be composed."
            )
        return model.id


class _Matcher:
    """Finds the existing member an incoming one stands for, and keeps names and ids unique."""

    def __init__(self, kind: str, existing: list[dict], where: str):
        self.kind = kind
        self.where = where
        self.by_id = {m["id"]: m for m in existing}
        self.by_external_id = {m["externalId"]: m for m in existing if m.get("externalId")}
        self.names: set[str] = set()
        self.external_ids: set[str] = set()

    def identify(self, item: dict) -> tuple[str, str | None, dict | None]:
        """(id, external id, existing member or None) for an incoming member."""
        given_id, given_external_id = item.get("id"), item.get("externalId")
        name = item["name"]
        if name in self.names:
            raise invalid_request(
                f"The {self.kind} name '{name}' is used more than once in the {self.where}."
            )
        self.names.add(name)
        if given_id is not None:
            match = self.by_id.get(given_id)
            other = self.by_external_id.get(given_external_id) if given_external_id else None
            if other is not None and other is not match:
                raise invalid_request(
                    f"The external ID {given_external_id} already belongs to {self.kind}"
                    f" {other['id']}."
                )
        elif given_external_id is not None:
            match = self.by_external_id.get(given_external_id)
        else:
            match = None
        external_id = given_external_id
        if match is not None and match.get("externalId"):
            if given_external_id not in (None, match["externalId"]):
                raise invalid_request(
                    f"The external ID of {self.kind} {match['id']} is {match['externalId']}"
                    " and cannot be changed."
                )
            external_id = match["externalId"]
        if external_id is not None:
            if external_id in self.external_ids:
                raise invalid_request(
                    f"The {self.kind} external ID {external_id} is used more than once in the"
                    f" {self.where}."
                )
            self.external_ids.add(external_id)
        member_id = given_id or (match["id"] if match else new_id())
        return member_id, external_id, match


def _property(item: dict, member_id: str, external_id: str | None, match: dict | None) -> dict:
    name = item["name"]
    type_ = item["type"]
    kinds = [k for k in PROPERTY_KINDS if type_.get(k) is not None]
    if len(kinds) != 1:
        raise invalid_request(
            f"Property '{name}' must have exactly one type: attribute, measurement, transform or"
            " metric."
        )
    kind = kinds[0]
    if match is not None:
        if match["dataType"] != item["dataType"]:
            raise invalid_request(f"The data type of property '{name}' cannot be changed.")
        old_kind = next(iter(match["type"]))
        if old_kind != kind:
            raise invalid_request(f"The type of property '{name}' cannot be changed.")
        if kind == "metric" and match["type"]["metric"].get("window") != clean(
            type_["metric"].get("window")
        ):
            raise invalid_request(f"The window of metric '{name}' cannot be changed.")
    return compact(
        id=member_id,
        externalId=external_id,
        name=name,
        dataType=item["dataType"],
        dataTypeSpec=item.get("dataTypeSpec"),
        unit=item.get("unit"),
        type={kind: clean(type_[kind])},
    )


def _composite_id(ref: Ref, child: dict, composites: list[dict]) -> str:
    for composite in composites:
        if ref.names(composite) and composite is not child:
            return composite["id"]
    raise invalid_request(
        f"The parent composite model {ref} of composite model '{child['name']}' is not another"
        " composite model of the asset model."
    )


def _resolve_variables(model_id: str, definition: dict, find_model: FindModel) -> None:
    own = _Index([p for p, _ in all_properties(definition)])
    hierarchies = _Index(definition["hierarchies"])
    child_indexes: dict[str, _Index] = {}

    def properties_of(child_model_id: str) -> _Index:
        if child_model_id == model_id:
            return own
        if child_model_id not in child_indexes:
            child = find_model(Ref(id=child_model_id))
            members = [p for p, _ in all_properties(child.definition)] if child else []
            child_indexes[child_model_id] = _Index(members)
        return child_indexes[child_model_id]

    for prop, _ in all_properties(definition):
        kind, body = next(iter(prop["type"].items()))
        if kind not in ("transform", "metric"):
            continue
        for variable in body.get("variables") or []:
            value = variable["value"]
            hierarchy = hierarchies.find(value.get("hierarchyId"), value.get("hierarchyExternalId"))
            if hierarchy is not None:
                value.pop("hierarchyExternalId", None)
                value["hierarchyId"] = hierarchy["id"]
                pool = properties_of(hierarchy["childAssetModelId"])
            elif value.get("hierarchyId") or value.get("hierarchyExternalId"):
                continue  # names a hierarchy this model does not have: kept as given
            else:
                pool = own
            target = pool.find(value.get("propertyId"), value.get("propertyExternalId"))
            if target is not None:
                value.pop("propertyExternalId", None)
                value["propertyId"] = target["id"]


class _Index:
    def __init__(self, members: list[dict]):
        self.by_id = {m["id"]: m for m in members}
        self.by_external_id = {m["externalId"]: m for m in members if m.get("externalId")}
        self.by_name = {m["name"]: m for m in members}

    def find(self, reference: str | None, external_id: str | None) -> dict | None:
        """The member a variable names: by UUID, `externalId:...`, name, or external id."""
        if reference is not None:
            if reference.startswith(EXTERNAL_PREFIX):
                return self.by_external_id.get(reference[len(EXTERNAL_PREFIX) :])
            if is_uuid(reference):
                return self.by_id.get(reference)
            return self.by_name.get(reference)
        if external_id is not None:
            return self.by_external_id.get(external_id)
        return None


def clean(value: object) -> object:
    """A deep copy without None values, so stored documents compare by content."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
