package bridge.gateway.transcoding;

import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.Objects;

/**
 * One REST binding of one unary RPC, read from its {@code google.api.http} option (the main
 * rule or one of its {@code additional_bindings}).
 *
 * @param httpMethod GET, POST, PATCH, PUT, DELETE, or the kind of a {@code custom} pattern
 * @param template the URL path template
 * @param body "" (no body), "*" (the whole request) or a top-level request field name
 * @param responseBody "" (the whole response) or a top-level response field name
 * @param method the RPC
 */
public record HttpRoute(String httpMethod, PathTemplate template, String body, String responseBody,
                        MethodDescriptor method) {

  public HttpRoute {
    Objects.requireNonNull(httpMethod, "httpMethod");
    Objects.requireNonNull(template, "template");
    body = body == null ? "" : body;
    responseBody = responseBody == null ? "" : responseBody;
    Objects.requireNonNull(method, "method");
  }

  /** gRPC style full method name, e.g. {@code bridge.people.v1.PeopleDirectoryService/GetPerson}. */
  public String fullMethodName() {
    return method.getService().getFullName() + "/" + method.getName();
  }

  @Override
  public String toString() {
    return httpMethod + " " + template + " -> " + fullMethodName();
  }
}
