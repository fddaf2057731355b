"""API for organisations: municipalities, clusters, memberships, services, groups, funders."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from klynge.auth.guards import (
    requires_admin,
    requires_authenticated,
    requires_cluster_adviser,
    requires_cluster_member,
    requires_role,
)
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.jobs.runner import Dispatcher
from klynge.jobs.schemas import JobOut
from klynge.orgs import importing, service
from klynge.orgs import schemas as s
from klynge.settings import Settings


class MunicipalityController(Controller):
    path = "/api/municipalities"
    tags = ["organisations"]
    guards = [requires_authenticated]

    @get("/", operation_id="ListMunicipalities")
    async def list_municipalities(self, q: FromQuery[str] = "") -> list[s.MunicipalityOut]:
        return await service.list_municipalities(q)

    @get("/{municipality_id:int}", operation_id="GetMunicipality")
    async def get_municipality(self, municipality_id: FromPath[int]) -> s.MunicipalityOut:
        return await service.get_municipality(municipality_id)

    @post("/", guards=[requires_admin], operation_id="CreateMunicipality")
    async def create_municipality(
        self, actor: NamedDependency[Principal], data: JSONBody[s.MunicipalityCreate]
    ) -> s.MunicipalityOut:
        return await service.create_municipality(actor, data)

    @post(
        "/import",
        guards=[requires_admin],
        operation_id="ImportMunicipalities",
        status_code=HTTP_202_ACCEPTED,
        summary="Import municipalities from .xlsx or .csv (all or nothing, runs as a job)",
    )
    async def import_municipalities(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        dispatcher: NamedDependency[Dispatcher],
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[JobOut]:
        job = await importing.start_import(actor, data, settings, dispatcher)
        return Response(
            job, status_code=HTTP_202_ACCEPTED, headers={"Location": f"/api/jobs/{job.id}"}
        )

    @get("/{municipality_id:int}/services", operation_id="ListServices")
    async def list_services(self, municipality_id: FromPath[int]) -> list[s.ServiceOut]:
        return await service.list_services(municipality_id)

    @post(
        "/{municipality_id:int}/services",
        operation_id="CreateService",
        guards=[requires_role(Role.COORDINATOR)],
    )
    async def create_service(
        self,
        actor: NamedDependency[Principal],
        municipality_id: FromPath[int],
        data: JSONBody[s.ServiceCreate],
    ) -> s.ServiceOut:
        return await service.create_service(actor, municipality_id, data)

    @get("/{municipality_id:int}/memberships", operation_id="ListMunicipalityMemberships")
    async def memberships(
        self, actor: NamedDependency[Principal], municipality_id: FromPath[int]
    ) -> list[s.MembershipOut]:
        return await service.memberships_of_municipality(actor, municipality_id)


class ClusterController(Controller):
    path = "/api/clusters"
    tags = ["organisations"]

    @get(
        "/",
        guards=[requires_authenticated],
        operation_id="ListClusters",
        summary="Clusters the caller belongs to (all for admins)",
    )
    async def list_clusters(self, actor: NamedDependency[Principal]) -> list[s.ClusterOut]:
        return await service.list_clusters(actor)

    @post("/", guards=[requires_admin], operation_id="CreateCluster")
    async def create_cluster(
        self, actor: NamedDependency[Principal], data: JSONBody[s.ClusterCreate]
    ) -> s.ClusterOut:
        return await service.create_cluster(actor, data)

    @get("/{cluster_id:int}", guards=[requires_cluster_member()], operation_id="GetCluster")
    async def get_cluster(
        self, actor: NamedDependency[Principal], cluster_id: FromPath[int]
    ) -> s.ClusterOut:
        return await service.get_cluster(actor, cluster_id)

    @patch("/{cluster_id:int}", guards=[requires_cluster_adviser()], operation_id="UpdateCluster")
    async def update_cluster(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromPath[int],
        data: JSONBody[s.ClusterUpdate],
    ) -> s.ClusterOut:
        return await service.update_cluster(actor, cluster_id, data)

    @get(
        "/{cluster_id:int}/memberships",
        guards=[requires_cluster_member()],
        operation_id="ListClusterMemberships",
    )
    async def memberships(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromPath[int],
        status: FromQuery[s.MembershipStatus | None] = None,
    ) -> list[s.MembershipOut]:
        return await service.list_memberships(actor, cluster_id, status.value if status else None)

    @post(
        "/{cluster_id:int}/membership-requests",
        guards=[requires_role(Role.COORDINATOR)],
        operation_id="RequestMembership",
        summary="A municipality asks to join the cluster",
    )
    async def request_membership(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromPath[int],
        data: JSONBody[s.MembershipRequest],
    ) -> s.MembershipOut:
        return await service.request_membership(actor, cluster_id, data)


class MembershipController(Controller):
    path = "/api/memberships"
    tags = ["organisations"]

    @get("/{membership_id:int}", guards=[requires_authenticated], operation_id="GetMembership")
    async def get_membership(
        self, actor: NamedDependency[Principal], membership_id: FromPath[int]
    ) -> s.MembershipOut:
        return await service.get_membership(actor, membership_id)

    @post(
        "/{membership_id:int}/decision",
        guards=[requires_role(Role.ADVISER)],
        operation_id="DecideMembership",
        status_code=200,
        summary="The cluster's adviser approves or declines (with a reason) a request",
    )
    async def decide(
        self,
        actor: NamedDependency[Principal],
        membership_id: FromPath[int],
        data: JSONBody[s.MembershipDecision],
    ) -> s.MembershipOut:
        return await service.decide_membership(actor, membership_id, data)

    @post(
        "/{membership_id:int}/withdraw",
        guards=[requires_role(Role.COORDINATOR)],
        operation_id="WithdrawMembership",
        status_code=200,
    )
    async def withdraw(
        self,
        actor: NamedDependency[Principal],
        membership_id: FromPath[int],
        data: JSONBody[s.MembershipEnd],
    ) -> s.MembershipOut:
        return await service.withdraw_membership(actor, membership_id, data)

    @post(
        "/{membership_id:int}/leave",
        guards=[requires_role(Role.COORDINATOR, Role.ADVISER)],
        operation_id="LeaveCluster",
        status_code=200,
    )
    async def leave(
        self,
        actor: NamedDependency[Principal],
        membership_id: FromPath[int],
        data: JSONBody[s.MembershipEnd],
    ) -> s.MembershipOut:
        return await service.leave_cluster(actor, membership_id, data)


class FunderController(Controller):
    path = "/api/funders"
    tags = ["organisations"]

    @get("/", guards=[requires_authenticated], operation_id="ListFunders")
    async def list_funders(self) -> list[s.FunderOut]:
        return await service.list_funders()

    @post("/", guards=[requires_admin], operation_id="CreateFunder")
    async def create_funder(
        self, actor: NamedDependency[Principal], data: JSONBody[s.FunderCreate]
    ) -> s.FunderOut:
        return await service.create_funder(actor, data)
