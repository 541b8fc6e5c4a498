package dev.rehype.fault;

import java.lang.reflect.Array;
import java.lang.reflect.Field;

/**
 * Fields of the hypervisor's heap objects as memory faults name them: a path of field names from
 * the hypervisor object, each optionally indexed ({@code sched.current[0]},
 * {@code sched.sliceLeft[1]}), ending at a primitive field or element, whose bit is flipped.
 */
public final class HeapPaths {
    private HeapPaths() {
    }

    /** The value before and after, hex. */
    public record Flip(String before, String after) {
    }

    /** Flips bit {@code bit} (modulo the value's width) of the primitive that {@code path} names from {@code root}. */
    public static Flip flip(Object root, String path, int bit) {
        String[] parts = path.split("\\.");
        Object holder = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int open = part.indexOf('[');
            String name = open < 0 ? part : part.substring(0, open);
            Field f = field(holder, name, path);
            boolean last = i == parts.length - 1;
            try {
                if (open < 0) {
                    if (last) {
                        return flipField(holder, f, bit, path);
                    }
                    holder = f.get(holder);
                } else {
                    int index = Integer.parseInt(part.substring(open + 1, part.indexOf(']')));
                    Object array = f.get(holder);
                    if (array == null || !array.getClass().isArray() || index < 0 || index >= Array.getLength(array)) {
                        throw new FaultPlanException("heap path '" + path + "': " + part + " is not an element of an array");
                    }
                    if (last) {
                        return flipElement(array, index, bit, path);
                    }
                    holder = Array.get(array, index);
                }
            } catch (IllegalAccessException | NumberFormatException e) {
                throw new FaultPlanException("heap path '" + path + "': " + e.getMessage());
            }
            if (holder == null) {
                throw new FaultPlanException("heap path '" + path + "': " + part + " is null");
            }
        }
        throw new FaultPlanException("heap path '" + path + "' is empty");
    }

    private static Field field(Object holder, String name, String path) {
        for (Class<?> c = holder.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new FaultPlanException("heap path '" + path + "': " + holder.getClass().getSimpleName() + " has no field '"
                + name + "'");
    }

    private static Flip flipField(Object holder, Field f, int bit, String path) throws IllegalAccessException {
        Class<?> t = f.getType();
        if (t == int.class) {
            int v = f.getInt(holder);
            int o = v ^ (1 << (bit % 32));
            f.setInt(holder, o);
            return new Flip(Integer.toHexString(v), Integer.toHexString(o));
        } else if (t == long.class) {
            long v = f.getLong(holder);
            long o = v ^ (1L << (bit % 64));
            f.setLong(holder, o);
            return new Flip(Long.toHexString(v), Long.toHexString(o));
        } else if (t == boolean.class) {
            boolean v = f.getBoolean(holder);
            f.setBoolean(holder, !v);
            return new Flip(v ? "1" : "0", v ? "0" : "1");
        }
        throw new FaultPlanException("heap path '" + path + "': field of type " + t.getSimpleName()
                + " (int, long or boolean wanted)");
    }

    private static Flip flipElement(Object array, int i, int bit, String path) {
        Class<?> t = array.getClass().getComponentType();
        if (t == int.class) {
            int v = Array.getInt(array, i);
            int o = v ^ (1 << (bit % 32));
            Array.setInt(array, i, o);
            return new Flip(Integer.toHexString(v), Integer.toHexString(o));
        } else if (t == long.class) {
            long v = Array.getLong(array, i);
            long o = v ^ (1L << (bit % 64));
            Array.setLong(array, i, o);
            return new Flip(Long.toHexString(v), Long.toHexString(o));
        } else if (t == boolean.class) {
            boolean v = Array.getBoolean(array, i);
            Array.setBoolean(array, i, !v);
            return new Flip(v ? "1" : "0", v ? "0" : "1");
        }
        throw new FaultPlanException("heap path '" + path + "': element of type " + t.getSimpleName()
                + " (int, long or boolean wanted)");
    }
}
