"""Debian's php-fpm and nginx as plain child processes with their own config, pid and log files.

Nothing touches the system services: each store has a `run` folder with `php-fpm.conf`, `nginx.conf`, a unix
socket between the two and `logs/`. nginx passes `$http_host` (with the port) as HTTP_HOST: with Debian's default
`$host`, WordPress would redirect every request to a port-less URL.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import getpass
import grp
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PHP_FPM = "php-fpm8.2"
NGINX = "nginx"
PHP_CLI = "php"
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the test process dies, even by SIGKILL (Linux prctl), so a killed
    run leaves no nginx or php-fpm behind holding its address."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class ServerUnavailable(RuntimeError):
    """php-fpm, nginx or the PHP CLI is missing (the message says which package to install)."""


def executable(name: str, package: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not path:
        raise ServerUnavailable(f"{name} is missing: install it with `apt-get install {package}` (make test does)")
    return path


def check_installed() -> None:
    """Raise ServerUnavailable when a program the store needs is missing."""
    executable(PHP_FPM, "php8.2-fpm")
    executable(NGINX, "nginx-light")
    executable(PHP_CLI, "php8.2-cli")
    result = subprocess.run([PHP_CLI, "-m"], capture_output=True, text=True)
    modules = {line.strip().lower() for line in result.stdout.splitlines()}
    missing = [m for m in ("mysqli", "curl", "mbstring", "intl", "xml", "gd", "zip", "bcmath") if m not in modules]
    if missing:
        packages = " ".join(f"php8.2-{'mysql' if m == 'mysqli' else m}" for m in missing)
        raise ServerUnavailable(f"PHP lacks {', '.join(missing)}: install it with `apt-get install {packages}`")


@dataclass
class WebServer:
    """php-fpm + nginx serving `wp_root` at https://host:port."""

    wp_root: Path
    run_dir: Path
    host: str
    port: int
    cert: Path
    key: Path
    nginx_server_extra: str = ""  # lines in the server block (tests of misconfigurations)
    nginx_php_extra: str = ""  # lines in the PHP location, after the fastcgi_params (e.g. to drop a header)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def logs(self) -> Path:
        return self.run_dir / "logs"

    @property
    def socket_path(self) -> Path:
        return self.run_dir / "php-fpm.sock"

    def start(self, timeout: float = 30) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self._write_php_fpm_conf()
        self._write_nginx_conf()
        root = os.geteuid() == 0
        self._spawn(
            [executable(PHP_FPM, "php8.2-fpm"), "-F", "-y", str(self.run_dir / "php-fpm.conf")]
            + (["-R"] if root else []),
            "php-fpm",
        )
        self._wait(lambda: self.socket_path.exists(), timeout, "php-fpm", self.logs / "php-fpm.log")
        self._spawn(
            [
                executable(NGINX, "nginx-light"),
                "-p",
                str(self.run_dir),
                "-c",
                str(self.run_dir / "nginx.conf"),
                "-e",
                str(self.logs / "nginx-error.log"),
            ],
            "nginx",
        )
        self._wait(self._listening, timeout, "nginx", self.logs / "nginx-error.log")

    def reload_nginx(self, server: str = "", php: str = "") -> None:
        """Rewrite nginx.conf with extra lines in the server block and in the PHP location, and reload.

        `reload_nginx(php='fastcgi_param HTTP_AUTHORIZATION "";')` drops the Authorization header as some hosts do;
        `reload_nginx()` puts the normal configuration back.
        """
        self.nginx_server_extra, self.nginx_php_extra = server, php
        self._write_nginx_conf()
        nginx = self.processes[-1]
        result = subprocess.run(
            [
                executable(NGINX, "nginx-light"),
                "-t",
                "-p",
                str(self.run_dir),
                "-c",
                str(self.run_dir / "nginx.conf"),
                "-e",
                str(self.logs / "nginx-error.log"),
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"nginx refuses the configuration: {result.stderr}")
        nginx.send_signal(1)  # SIGHUP: re-read the configuration, keep listening
        time.sleep(0.5)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def _spawn(self, command: list[str], name: str) -> None:
        with (self.logs / f"{name}.out").open("ab") as out:
            self.processes.append(
                subprocess.Popen(
                    command,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    cwd=self.run_dir,
                    preexec_fn=_die_with_parent,
                )
            )

    def _listening(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _wait(self, ready: object, timeout: float, name: str, log: Path) -> None:
        deadline = time.monotonic() + timeout
        process = self.processes[-1]
        while time.monotonic() < deadline:
            if ready():  # type: ignore[operator]
                return
            if process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        output = (self.logs / f"{name}.out").read_text(errors="replace")
        details = log.read_text(errors="replace") if log.exists() else ""
        raise RuntimeError(f"{name} did not start within {timeout}s:\n{output}\n{details}")

    def _write_php_fpm_conf(self) -> None:
        user = getpass.getuser()
        group = grp.getgrgid(os.getegid()).gr_name
        owner = f"user = {user}\ngroup = {group}\n" if os.geteuid() == 0 else ""
        (self.run_dir / "php-fpm.conf").write_text(
            f"""[global]
pid = {self.run_dir}/php-fpm.pid
error_log = {self.logs}/php-fpm.log
daemonize = no

[store]
{owner}listen = {self.socket_path}
listen.mode = 0600
pm = ondemand
pm.max_children = 4
pm.process_idle_timeout = 30s
request_terminate_timeout = 300
catch_workers_output = yes
php_admin_value[error_log] = {self.logs}/php-errors.log
php_admin_flag[log_errors] = on
php_admin_value[memory_limit] = 512M
php_admin_value[max_execution_time] = 300
php_admin_value[upload_max_filesize] = 32M
php_admin_value[post_max_size] = 32M
php_admin_value[opcache.revalidate_freq] = 0
"""
        )

    def _write_nginx_conf(self) -> None:
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = self.run_dir / "nginx-temp"
        temp.mkdir(exist_ok=True)
        (self.run_dir / "nginx.conf").write_text(
            f"""{user}worker_processes 1;
daemon off;
pid {self.run_dir}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.logs}/nginx-access.log;
    client_body_temp_path {temp}/body;
    fastcgi_temp_path {temp}/fastcgi;
    proxy_temp_path {temp}/proxy;
    scgi_temp_path {temp}/scgi;
    uwsgi_temp_path {temp}/uwsgi;
    client_max_body_size 32m;
    server {{
        listen {self.host}:{self.port} ssl;
        server_name {self.host};
        ssl_certificate {self.cert};
        ssl_certificate_key {self.key};
        root {self.wp_root};
        index index.php;
{self.nginx_server_extra}
        location / {{
            try_files $uri $uri/ /index.php$is_args$args;
        }}
        location ~ \\.php$ {{
            try_files $uri =404;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_param HTTP_HOST $http_host;
            fastcgi_param HTTPS on;
            fastcgi_read_timeout 300;
            fastcgi_pass unix:{self.socket_path};
{self.nginx_php_extra}
        }}
    }}
}}
"""
        )
