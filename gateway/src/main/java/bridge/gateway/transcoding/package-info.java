/**
 * REST+JSON ↔ gRPC transcoding driven only by the {@code google.api.http} annotations of the
 * contracts in {@code proto/}: no code per endpoint. Pure library: protobuf-java,
 * protobuf-java-util and the google.api protos; no Spring, no gRPC channels.
 *
 * <ul>
 *   <li>{@link bridge.gateway.transcoding.RouteTable}: every binding of every unary annotated RPC,
 *       validated at build time; {@code match(method, rawPath)} is the per-request lookup.</li>
 *   <li>{@link bridge.gateway.transcoding.PathTemplate}: http.proto path templates, matching and
 *       their OpenAPI form.</li>
 *   <li>{@link bridge.gateway.transcoding.RequestTranscoder}: body + path variables + query
 *       parameters → request {@code DynamicMessage}; response → canonical JSON.</li>
 *   <li>{@link bridge.gateway.transcoding.TranscodingException}: a bad request, naming the field
 *       by its proto path (maps onto a {@code google.rpc.BadRequest.FieldViolation}).</li>
 *   <li>{@link bridge.gateway.transcoding.OpenApiGenerator}: the OpenAPI 3.0.3 document from the
 *       same descriptors.</li>
 * </ul>
 *
 * <p>Typical use: {@code RouteTable table = RouteTable.of(services);}
 * {@code RequestTranscoder t = RequestTranscoder.forRoutes(table);} then per request
 * {@code table.match(method, rawPath)} → 404 if empty and {@code !table.hasPath(rawPath)}, else
 * 405 with {@code Allow: table.allowedMethods(rawPath)}; {@code t.toRequest(match, body, query,
 * idempotencyKeyHeader)} (400 on {@code TranscodingException}); call; {@code t.toJson(reply,
 * match.route())}. Pass the <em>raw</em> (percent-encoded) path, e.g.
 * {@code ServerHttpRequest.getPath().value()} or {@code getURI().getRawPath()}, not the decoded one.
 */
package bridge.gateway.transcoding;
