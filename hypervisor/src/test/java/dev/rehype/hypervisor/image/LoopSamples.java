package dev.rehype.hypervisor.image;

/**
 * Loops of every shape javac makes, for {@link LoopMeterTest} to meter: a counted loop, a
 * do-while, a loop around a switch, nested loops, a loop with no end, and a method with none.
 */
public final class LoopSamples {
    private LoopSamples() {
    }

    public static int countTo(int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += i;
        }
        return sum;
    }

    public static int doWhile(int n) {
        int i = 0;
        do {
            i++;
        } while (i < n);
        return i;
    }

    public static int nested(int n, int m) {
        int cells = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                cells++;
            }
        }
        return cells;
    }

    public static int switchInLoop(int n) {
        int out = 0;
        int i = 0;
        while (i < n) {
            switch (i % 3) {
                case 0 -> out += 1;
                case 1 -> out += 10;
                default -> out += 100;
            }
            i++;
        }
        return out;
    }

    public static int forEver(int start) {
        int x = start;
        while (x >= 0) {
            x = (x + 1) & 0x7fff;
        }
        return x;
    }

    public static int straight(int a, int b) {
        return a > b ? a - b : b - a;
    }
}
