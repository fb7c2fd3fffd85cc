/*
 * hush-wamrc: compiles a WebAssembly module to a WAMR AOT file, with the options WAMR's
 * own `wamrc` uses by default (opt and size level 3, the host CPU, bounds checks as the
 * target needs). Only what measuring the hush module needs: no flags.
 *
 * Usage: wamrc IN.wasm OUT.aot
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot_export.h"
#include "bh_read_file.h"
#include "wasm_export.h"

static int fail(const char *what, const char *why)
{
    fprintf(stderr, "wamrc: %s: %s\n", what, why);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: wamrc IN.wasm OUT.aot\n");
        return 2;
    }
    AOTCompOption option;
    memset(&option, 0, sizeof(option));
    option.opt_level = 3;
    option.size_level = 3;
    option.output_format = AOT_FORMAT_FILE;
    option.bounds_checks = 2;       /* as the target needs */
    option.stack_bounds_checks = 2; /* as the target needs */
    option.enable_simd = true;
    option.enable_aux_stack_check = true;
    option.enable_bulk_memory = true;
    option.enable_bulk_memory_opt = true;
    option.enable_ref_types = true;
    option.enable_call_indirect_overlong = true;

    RuntimeInitArgs init;
    memset(&init, 0, sizeof(init));
    init.mem_alloc_type = Alloc_With_Allocator;
    init.mem_alloc_option.allocator.malloc_func = malloc;
    init.mem_alloc_option.allocator.realloc_func = realloc;
    init.mem_alloc_option.allocator.free_func = free;
    if (!wasm_runtime_full_init(&init))
        return fail("runtime", "initialisation failed");

    uint32 size;
    uint8 *bytes = (uint8 *)bh_read_file_to_buffer(argv[1], &size);
    if (!bytes)
        return fail(argv[1], "cannot read");
    char error[256];
    wasm_module_t module = wasm_runtime_load(bytes, size, error, sizeof(error));
    if (!module)
        return fail(argv[1], error);
    aot_comp_data_t data = aot_create_comp_data(module, NULL, false);
    if (!data)
        return fail(argv[1], aot_get_last_error());
    aot_comp_context_t ctx = aot_create_comp_context(data, &option);
    if (!ctx || !aot_compile_wasm(ctx) || !aot_emit_aot_file(ctx, data, argv[2]))
        return fail(argv[1], aot_get_last_error());
    aot_destroy_comp_context(ctx);
    aot_destroy_comp_data(data);
    wasm_runtime_unload(module);
    wasm_runtime_free(bytes);
    wasm_runtime_destroy();
    return 0;
}
