"""lambdock's Python runtime: a dependency-free client of the Lambda Runtime API.

Loads `module.function` from _HANDLER (or argv[1]) under LAMBDA_TASK_ROOT, then serves one
invocation at a time: GET /next, call handler(event, context), POST /response or /error with
the next GET /next pipelined behind it (one write, no wait for the 202).
Error bodies, error types and log lines follow AWS's Python runtime: errors are
{"errorMessage", "errorType", "requestId", "stackTrace"}; load failures go to /init/error
(with Lambda-Runtime-Function-Error-Type) and the process exits 1.

The file must stay named bootstrap.py: frames from it are cut from user stack traces.
"""

import decimal
import importlib
import json
import logging
import os
import sys
import time
import traceback

from lambdock_output import OutputCounter
from lambdock_runtime_api import RuntimeClient

ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_INDENT = "\u00a0"  # AWS indents traceback lines in logs with NO-BREAK SPACE
TEXT_LOG_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"

_current_request_id = None


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


# ---------------------------------------------------------------- handler loading


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(
            FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, e)
        )
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR,
            "Unable to import module '{}': {}".format(modname, e),
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '{}': {}".format(modname, e),
            trace,
        )
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND,
            "Handler '{}' missing on module '{}'".format(fname, modname),
        )


# ---------------------------------------------------------------- errors and logs


def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def user_frames(tb):
    """Traceback entries from the first frame outside this file on, as plain 4-tuples (no
    column markers: AWS's stack traces have none)."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            return frames[i:]
    return frames


def error_from_exception(exc, request_id=None):
    if isinstance(exc, FaultException):
        return make_error(exc.msg, exc.exception_type, exc.trace, request_id)
    frames = user_frames(exc.__traceback__)
    return make_error(str(exc), type(exc).__name__, traceback.format_list(frames), request_id)


def _indent(line):
    stripped = line.lstrip(" ")
    return ERROR_LOG_INDENT * (len(line) - len(stripped)) + stripped


def log_error(error):
    """One log event for an error: lines joined by \\r, as AWS writes them."""
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        description += (":" if error.get("errorType") else "") + " " + error["errorMessage"]
    lines = [description, "Traceback (most recent call last):"]
    for element in error.get("stackTrace") or []:
        lines += [_indent(line) for line in element.splitlines()] if element else [""]
    sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id or ""
        return True


class _JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + ".%03dZ" % record.msecs,
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": record.aws_request_id,
        }
        if record.exc_info:
            entry["errorType"] = record.exc_info[0].__name__
            entry["errorMessage"] = str(record.exc_info[1])
            entry["stackTrace"] = traceback.format_tb(record.exc_info[2])
        return json.dumps(entry, default=str) + "\n"


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = _StdoutHandler()
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_LOG_FORMAT, "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


# ---------------------------------------------------------------- context


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(object):
    __slots__ = [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ]


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]


def _object_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field))
    return obj


class LambdaContext(object):
    def __init__(self, request_id, client_context, identity, deadline_ms, function_arn):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = function_arn
        self.client_context = _object_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _object_from_dict(Client, self.client_context.client)
        self.identity = CognitoIdentity()
        self.identity.cognito_identity_id = (identity or {}).get("cognitoIdentityId")
        self.identity.cognito_identity_pool_id = (identity or {}).get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))


def _parse_json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR,
            "Unable to parse {} JSON: {}".format(name, e),
        )


# ---------------------------------------------------------------- marshalling


def _json_default(obj):
    if isinstance(obj, decimal.Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError("Object of type {} is not JSON serializable".format(type(obj).__name__))


def to_json(obj):
    return json.dumps(obj, default=_json_default)


def unmarshal_event(body, content_type):
    # AWS passes non-JSON content through untouched; a missing type is treated as JSON.
    if content_type and not content_type.startswith("application/json"):
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(
            FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(e)
        )


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(
            FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(e)
        )


# ---------------------------------------------------------------- answers to post


def result_answer(request_id, body, content_type):
    """The POST of a handler's result: (path, body, headers)."""
    return "/invocation/{}/response".format(request_id), body, {"Content-Type": content_type}


def error_answer(request_id, error):
    """The POST of a handler's error: (path, body, headers)."""
    body = to_json(error).encode("utf-8")
    return "/invocation/{}/error".format(request_id), body, {"Content-Type": "application/json"}


# ---------------------------------------------------------------- the loop


def handle_invocation(handler, headers, body):
    """Runs the handler on one event; returns the answer to post (see result_answer)."""
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    try:
        context = LambdaContext(
            request_id,
            _parse_json_header(headers.get("Lambda-Runtime-Client-Context"), "Client Context"),
            _parse_json_header(headers.get("Lambda-Runtime-Cognito-Identity"), "Cognito Identity"),
            int(headers.get("Lambda-Runtime-Deadline-Ms") or 0),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        )
        event = unmarshal_event(body, headers.get("Content-Type"))
        result, content_type = marshal_response(handler(event, context))
    except Exception as exc:
        error = error_from_exception(exc, request_id)
        log_error(error)
        return error_answer(request_id, error)
    return result_answer(request_id, result, content_type)


def main():
    global _current_request_id
    output = OutputCounter()
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    # Layers unpack under /opt, as on AWS.
    layer_paths = ["/opt/python/lib/python%d.%d/site-packages" % sys.version_info[:2], "/opt/python"]
    sys.path.extend(p for p in layer_paths if p not in sys.path)
    if not os.environ.get("AWS_LAMBDA_RUNTIME_API"):
        sys.exit("AWS_LAMBDA_RUNTIME_API is not set")
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    handler_name = os.environ.get("_HANDLER") or (sys.argv[1] if len(sys.argv) > 1 else "")
    try:
        setup_logging()
        handler = load_handler(handler_name)
    except Exception as exc:
        error = error_from_exception(exc)
        log_error(error)
        client.post_init_error(to_json(error).encode("utf-8"), error["errorType"])
        sys.exit(1)

    answer = None
    while True:
        try:
            headers, body = client.next_invocation(answer)
        except Exception as e:
            # The Runtime API is gone or refused us: nothing left to report to.
            sys.stderr.write("Failed to get next invocation: {}\n".format(e))
            sys.exit(1)
        _current_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        written_before = output.bytes
        path, answer_body, answer_headers = handle_invocation(handler, headers, body)
        answer_headers["Lambdock-Runtime-Output-Bytes"] = str(output.bytes - written_before)
        answer = path, answer_body, answer_headers


if __name__ == "__main__":
    main()
