package dev.rehype.campaign.exec;

/**
 * Whether the system still accepted management operations after recovery: {@code OK}, {@code
 * FAILED} (with what failed), or {@code NOT_RUN} when no management operation was observed
 * after the last recovery (never counted as a success).
 */
public record ManagementCheck(Status status, String detail) {
    /** The check's result. */
    public enum Status { OK, FAILED, NOT_RUN }

    public static ManagementCheck ok(String detail) {
        return new ManagementCheck(Status.OK, detail);
    }

    public static ManagementCheck failed(String detail) {
        return new ManagementCheck(Status.FAILED, detail);
    }

    public static ManagementCheck notRun(String detail) {
        return new ManagementCheck(Status.NOT_RUN, detail);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
