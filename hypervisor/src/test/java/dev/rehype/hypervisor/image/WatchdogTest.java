package dev.rehype.hypervisor.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watchdog's arithmetic on virtual time: what a trap may charge, and when it expires. */
class WatchdogTest {
    @AfterEach
    void uninstall() {
        Watchdog.install(null);
    }

    @Test
    void aTrapMayChargeUpToTheBoundAndExpiresOneChargePastIt() {
        Watchdog w = new Watchdog(1_000);
        Watchdog.install(w);
        w.enter(1, 5_000);
        for (int i = 0; i < 10; i++) {
            Watchdog.charge(100);
        }
        assertThat(w.chargedCycles()).isEqualTo(1_000);
        WatchdogExpired e = catchThrowableOfType(WatchdogExpired.class, () -> Watchdog.charge(100));
        assertThat(e.cpu()).isEqualTo(1);
        assertThat(e.spentCycles()).isEqualTo(1_100);
        assertThat(e.atCycles()).isEqualTo(6_100);
        assertThat(e.boundCycles()).isEqualTo(1_000);
        // The expiry starts a new period; entering a new trap does too.
        assertThat(w.chargedCycles()).isZero();
        w.enter(0, 9_000);
        Watchdog.charge(1_000);
        assertThat(w.cpu()).isZero();
        assertThat(w.chargedCycles()).isEqualTo(1_000);
    }

    @Test
    void aThreadWithNoWatchdogInstalledGetsOneOfTheDefaultBound() {
        Watchdog.install(null);
        assertThat(Watchdog.current().boundCycles()).isEqualTo(Watchdog.DEFAULT_BOUND_CYCLES);
        assertThatThrownBy(() -> {
            for (;;) {
                Watchdog.charge(1_000);
            }
        }).isInstanceOf(WatchdogExpired.class);
    }

    @Test
    void aBoundBelowOneCycleIsRefused() {
        assertThatThrownBy(() -> new Watchdog(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bound");
    }
}
