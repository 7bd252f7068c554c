package bridge.support.grpc;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.mongo.Ids;

/**
 * Parsing of resource names such as {@code people/{person}} and
 * {@code people/{person}/consents/{consent}}. A malformed name is the caller's mistake
 * (INVALID_ARGUMENT naming the field); a well-formed name of something that does not exist is
 * NOT_FOUND, decided by the caller of this class.
 */
public final class ResourceNames {

    private ResourceNames() {
    }

    /**
     * Splits a name against a pattern of literal collection segments and {@code *} ids, returning the
     * ids in order. E.g. {@code ids("people/*\/consents/*", "people/a/consents/b", "name")} is [a, b].
     */
    public static String[] ids(String pattern, String name, String field) {
        String[] want = pattern.split("/");
        String[] got = name == null ? new String[0] : name.split("/", -1);
        if (got.length != want.length) {
            throw malformed(pattern, field);
        }
        String[] ids = new String[(int) java.util.Arrays.stream(want).filter("*"::equals).count()];
        int k = 0;
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("*")) {
                if (!Ids.looksValid(got[i])) {
                    throw malformed(pattern, field);
                }
                ids[k++] = got[i];
            } else if (!want[i].equals(got[i])) {
                throw malformed(pattern, field);
            }
        }
        return ids;
    }

    private static InvalidArgumentException malformed(String pattern, String field) {
        return InvalidArgumentException.of(field, "must be a resource name of the form " + pattern.replace("*", "{id}"));
    }
}
