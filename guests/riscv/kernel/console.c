/*
 * console.c — console output: console_write (console_io hypercalls) and a small printf-style
 * formatter shared by printk (to the console) and snprintk (to a buffer, usable from U-mode
 * thread code because it makes no hypercall). Conversions: %s %d %u %x %c %%, an optional '0'
 * flag and a width (%08x), and an ignored 'l' (long is 32-bit here). Each printk call makes one
 * console_io call per 256 bytes of output, so a line printed in one call reaches the console
 * whole.
 */
#include "kernel.h"

#define PRINTK_BUFFER_BYTES 256

/* Where formatted characters go: a buffer that is flushed to the console when full, or a
   caller's buffer that truncates. */
struct sink {
    char *buf;
    uint32_t size;
    uint32_t len;
    uint32_t total;
    int to_console;
};

static void sink_put(struct sink *s, char c)
{
    s->total++;
    if (s->len + 1 >= s->size) {
        if (!s->to_console) {
            return;
        }
        console_write(s->buf, s->len);
        s->len = 0;
    }
    s->buf[s->len++] = c;
}

static void put_string(struct sink *s, const char *str, int width, char pad)
{
    if (str == 0) {
        str = "(null)";
    }
    int n = (int) strnlen(str, 4096);
    for (int i = n; i < width; i++) {
        sink_put(s, pad);
    }
    for (int i = 0; i < n; i++) {
        sink_put(s, str[i]);
    }
}

static void put_unsigned(struct sink *s, uint32_t v, uint32_t base, int negative, int width, char pad)
{
    char digits[12];
    int n = 0;
    do {
        uint32_t d = v % base;
        digits[n++] = (char) (d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v != 0);
    int len = n + (negative ? 1 : 0);
    if (negative && pad == '0') {
        sink_put(s, '-');
    }
    for (int i = len; i < width; i++) {
        sink_put(s, pad);
    }
    if (negative && pad != '0') {
        sink_put(s, '-');
    }
    while (n > 0) {
        sink_put(s, digits[--n]);
    }
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p != 0; p++) {
        if (*p != '%') {
            sink_put(s, *p);
            continue;
        }
        p++;
        char pad = ' ';
        int width = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9') {
            width = width * 10 + (*p - '0');
            p++;
        }
        while (*p == 'l') {
            p++;
        }
        switch (*p) {
        case 's':
            put_string(s, va_arg(ap, const char *), width, ' ');
            break;
        case 'c':
            sink_put(s, (char) va_arg(ap, int));
            break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            uint32_t magnitude = v < 0 ? 0u - (uint32_t) v : (uint32_t) v;
            put_unsigned(s, magnitude, 10, v < 0, width, pad);
            break;
        }
        case 'u':
            put_unsigned(s, va_arg(ap, uint32_t), 10, 0, width, pad);
            break;
        case 'x':
            put_unsigned(s, va_arg(ap, uint32_t), 16, 0, width, pad);
            break;
        case '%':
            sink_put(s, '%');
            break;
        case 0:
            return;
        default:
            sink_put(s, '%');
            sink_put(s, *p);
            break;
        }
    }
}

void console_write(const char *str, uint32_t n)
{
    while (n > 0) {
        uint32_t chunk = n > CONSOLEIO_MAX_BYTES ? CONSOLEIO_MAX_BYTES : n;
        int rc = hv_console_write(str, chunk);
        if (rc <= 0) {
            return;   /* nowhere else to report it */
        }
        str += rc;
        n -= (uint32_t) rc;
    }
}

int vprintk(const char *fmt, va_list ap)
{
    char buf[PRINTK_BUFFER_BYTES];
    struct sink s = { .buf = buf, .size = sizeof buf, .len = 0, .total = 0, .to_console = 1 };
    format(&s, fmt, ap);
    if (s.len > 0) {
        console_write(buf, s.len);
    }
    return (int) s.total;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintk(char *buf, uint32_t size, const char *fmt, va_list ap)
{
    if (size == 0) {
        return 0;
    }
    struct sink s = { .buf = buf, .size = size, .len = 0, .total = 0, .to_console = 0 };
    format(&s, fmt, ap);
    buf[s.len] = 0;
    return (int) s.len;
}

int snprintk(char *buf, uint32_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintk(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
