"""The llama.cpp build must run on any x86-64-v3 machine, not only on the one that compiled it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

llama_cpp = pytest.importorskip("llama_cpp")


def test_the_build_uses_no_cpu_feature_beyond_avx2():
    info = llama_cpp.llama_print_system_info().decode()
    assert "AVX2 = 1" in info
    assert not re.search(r"AVX512\w* = 1|AMX\w* = 1", info), info


@pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump (binutils) is not installed")
def test_no_avx512_or_amx_instruction_is_compiled_in():
    libs = sorted((Path(llama_cpp.__file__).parent / "lib").glob("*.so"))
    assert libs
    for lib in libs:
        listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(lib)], capture_output=True, text=True,
                                 check=True).stdout
        wide = re.findall(r"%(?:zmm|tmm)\d+", listing)
        assert not wide, f"{lib.name} uses {len(wide)} AVX-512/AMX registers"
