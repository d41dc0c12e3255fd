"""The only package that touches disk: NetCDF files (atomic, durable, checksummed), their integrity, job logs.

``from lifsim import io`` gives every function of its modules.
"""
from .figures import save_figure
from .files import (
                    ENGINE,
                    TRACE_ENCODING,
                    atomic_path,
                    read_dataset,
                    read_variables,
                    write_content,
                    write_dataset,
                    write_text,
                    write_variables,
)
from .integrity import CHECKSUM, SCALARS_DIGEST, IntegrityError, check_netcdf, regenerate_command
from .logs import IMPORTS_LOG_VARIABLE, WATCHED_LIBRARIES, job_log, log_to, logged_warnings, record_imports

__all__ = ["CHECKSUM", "ENGINE", "IMPORTS_LOG_VARIABLE", "SCALARS_DIGEST", "TRACE_ENCODING", "WATCHED_LIBRARIES",
           "IntegrityError", "atomic_path", "check_netcdf", "job_log", "log_to", "logged_warnings", "read_dataset",
           "read_variables", "record_imports", "regenerate_command", "save_figure", "write_content", "write_dataset",
           "write_text", "write_variables"]
