/* Exercises the C ABI through hush.h. Prints only case names on failure (never data). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hush.h"

static int failures = 0;

#define CHECK(cond, name)                         \
    do {                                          \
        if (!(cond)) {                            \
            fprintf(stderr, "FAIL: %s\n", name);  \
            failures++;                           \
        }                                         \
    } while (0)

static int output_is(const HushOutput *o, const char *want) {
    return o->changed == 1 && o->data != NULL && o->len == strlen(want) && memcmp(o->data, want, o->len) == 0;
}

struct job {
    const HushRedactor *r;
    int iterations;
    int ok;
};

static void *worker(void *arg) {
    struct job *j = arg;
    const char *in = "retry user=app password=plum-Orbit-4471 host=db\n";
    j->ok = 1;
    for (int i = 0; i < j->iterations; i++) {
        HushOutput o;
        if (hush_redact(j->r, (const uint8_t *)in, strlen(in), &o) != 0 ||
            !output_is(&o, "retry user=app password=[REDACTED] host=db\n")) {
            j->ok = 0;
        }
        hush_output_free(&o);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 2000;
    HushRedactor *r = hush_new();
    CHECK(r != NULL, "hush_new");
    CHECK(hush_version() != NULL && strlen(hush_version()) > 0, "hush_version");

    HushOutput o;
    const char *text = "DB_PASSWORD=plum-Orbit-4471\n";
    CHECK(hush_redact(r, (const uint8_t *)text, strlen(text), &o) == 0, "redact rc");
    CHECK(output_is(&o, "DB_PASSWORD=[REDACTED]\n"), "redact output");
    hush_output_free(&o);
    hush_output_free(&o); /* safe twice */
    CHECK(o.data == NULL && o.changed == 0, "output reset");

    const char *clean = "nothing to see here\n";
    CHECK(hush_redact(r, (const uint8_t *)clean, strlen(clean), &o) == 0, "clean rc");
    CHECK(o.changed == 0 && o.data == NULL && o.len == strlen(clean), "clean unchanged");
    hush_output_free(&o);

    const char *json = "{\"user\":\"bob\",\"password\":\"hunter2\",\"n\":[1,{\"token\":\"abc123xyz\"}]}";
    CHECK(hush_redact_json(r, (const uint8_t *)json, strlen(json), &o) == 0, "json rc");
    CHECK(output_is(&o, "{\"user\":\"bob\",\"password\":\"[REDACTED]\",\"n\":[1,{\"token\":\"[REDACTED]\"}]}"), "json output");
    hush_output_free(&o);
    CHECK(hush_last_error() == NULL, "no error after success");

    const char *bad = "{\"password\":\"hunter2\"";
    CHECK(hush_redact_json(r, (const uint8_t *)bad, strlen(bad), &o) == -1, "bad json rc");
    const char *err = hush_last_error();
    CHECK(err != NULL && strstr(err, "JSON") != NULL, "bad json error message");
    CHECK(err != NULL && strstr(err, "hunter2") == NULL, "error message has no input bytes");
    CHECK(o.data == NULL, "no output on error");

    const char *key = "api_key", *value = "abc123xyz";
    CHECK(hush_redact_value(r, key, strlen(key), (const uint8_t *)value, strlen(value), &o) == 0, "value rc");
    CHECK(output_is(&o, "[REDACTED]"), "sensitive key masks the value");
    hush_output_free(&o);
    key = "user";
    value = "alice";
    CHECK(hush_redact_value(r, key, strlen(key), (const uint8_t *)value, strlen(value), &o) == 0, "plain value rc");
    CHECK(o.changed == 0, "plain key leaves the value");
    hush_output_free(&o);
    CHECK(hush_key_is_sensitive(r, "password", 8) == 1, "password is sensitive");
    CHECK(hush_key_is_sensitive(r, "user", 4) == 0, "user is not sensitive");
    CHECK(hush_redact(r, NULL, 5, &o) == -1 && hush_last_error() != NULL, "NULL input rejected");
    CHECK(hush_redact(NULL, (const uint8_t *)"x", 1, &o) == -1, "NULL handle rejected");

    /* One handle, concurrent redact calls. */
    pthread_t threads[4];
    struct job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].r = r;
        jobs[i].iterations = iterations;
        pthread_create(&threads[i], NULL, worker, &jobs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(jobs[i].ok, "concurrent redact");
    }

    HushRedactor *t = hush_new_from_toml("", 0, NULL);
    CHECK(t != NULL, "hush_new_from_toml with an empty config");
    const char *latin = "caf\xc3\xa9 token=abcdef123456\n";
    CHECK(hush_redact(t, (const uint8_t *)latin, strlen(latin), &o) == 0, "toml handle redacts");
    CHECK(output_is(&o, "caf\xc3\xa9 token=[REDACTED]\n"), "toml handle output");
    hush_output_free(&o);
    hush_free(t);
    hush_free(r);
    hush_free(NULL);

    if (failures == 0) {
        printf("ok\n");
    }
    return failures == 0 ? 0 : 1;
}
