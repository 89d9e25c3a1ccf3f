package io.cyroid.messages;

/** The provisioning steps, named in {@link RangeDeploymentFailed#step()}. */
public final class DeploymentStep {
    public static final String CREATE_DIND = "CREATE_DIND";
    public static final String CREATE_NETWORK = "CREATE_NETWORK";
    public static final String SEED_IMAGES = "SEED_IMAGES";
    public static final String START_VM = "START_VM";
    /** Removing everything of a range (compensation or destroy). */
    public static final String REMOVE = "REMOVE";
    /** A VM action on a deployed range. */
    public static final String VM_ACTION = "VM_ACTION";
    /** Not a step: the whole deployment outlived its deadline (DEPLOY_TIMEOUT). */
    public static final String TIMEOUT = "TIMEOUT";

    private DeploymentStep() {
    }
}
