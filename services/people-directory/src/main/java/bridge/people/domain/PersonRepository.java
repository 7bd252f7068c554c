package bridge.people.domain;

import java.util.Optional;

/** The directory's storage, implemented in persistence. */
public interface PersonRepository {

    /**
     * Stores a new person unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Person insertOnce(Person person, String idempotencyKey);

    Optional<Person> findById(String id);
}
