/**
 * The shared record ({@code GET /v1/people/{person}/sharedRecord}): a gRPC service of contract
 * {@code bridge.record.v1} hosted inside the gateway on an in-process server and registered as that
 * package's backend, so the generic transcoding serves its REST path and OpenAPI entry like any
 * other. It asks the five services in parallel, as the caller (token and request id forwarded), each
 * under its own deadline and its backend's circuit breaker, and composes what they answered. It
 * decides nothing about visibility itself: each service is the enforcement point for its part.
 */
package bridge.gateway.record;
