package bridge.benefits.domain;

/** What a benefits adviser must act on before (and just after) release. */
public enum ClaimAlert {
    /** Not ready, and release is within the readiness window. */
    NOT_READY,
    /** No payment expected within the payment-gap window after release. */
    PAYMENT_GAP
}
