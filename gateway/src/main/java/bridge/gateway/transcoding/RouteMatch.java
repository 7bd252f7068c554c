package bridge.gateway.transcoding;

import java.util.Map;

/**
 * A route that matched a request, with its path variables (dotted proto field path → decoded
 * value, e.g. {@code "name" → "people/abc"}).
 */
public record RouteMatch(HttpRoute route, Map<String, String> pathVariables) {

  public RouteMatch {
    pathVariables = pathVariables == null ? Map.of() : pathVariables;
  }
}
