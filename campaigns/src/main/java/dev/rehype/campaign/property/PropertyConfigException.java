package dev.rehype.campaign.property;

/**
 * A mistake in how a property is set up or overridden (a malformed seed, an unknown target or
 * repair step, a parameter the kit cannot supply): one line naming the setting and what is wrong,
 * without a stack trace — it is the user's input, not the kit, that needs fixing.
 */
public final class PropertyConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PropertyConfigException(String message) {
        super(message, null, false, false);
    }
}
