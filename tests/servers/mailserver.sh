#!/usr/bin/env bash
# A private Postfix + Dovecot (SASL) on loopback for tests, never touching the system
# service. Usage: mailserver.sh start DIR [BASE_PORT] | stop DIR
#   BASE_PORT+25  plain SMTP (AUTH allowed: loopback only)
#   BASE_PORT+87  STARTTLS required, AUTH
#   BASE_PORT+65  implicit TLS (SMTPS), AUTH
#   BASE_PORT+24  a company relay: no AUTH at all, STARTTLS offered, passes on mail
#                 from loopback (mynetworks) only
#   BASE_PORT+80  tests/servers/oauth.py, which Dovecot asks whether an XOAUTH2 token
#                 lives (introspection); tokens from any oauth.py of the tests pass
# The CA and server certificate are made here at start (no private key is committed);
# DIR/ca.pem is the CA to trust. Every message is delivered to the maildir DIR/mail/inbox/.
# Test account: ali@test.local / dogru-sifre. DIR/env has the ports for scripts.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
base=${3:-40000}

stop() {
  timeout 30 postfix -c "$dir/postfix" stop >/dev/null 2>&1 || true
  if [ -f "$dir/dovecot-run/master.pid" ]; then kill "$(cat "$dir/dovecot-run/master.pid")" 2>/dev/null || true; fi
  if [ -f "$dir/oauth.pid" ]; then kill "$(cat "$dir/oauth.pid")" 2>/dev/null || true; rm -f "$dir/oauth.pid"; fi
}

if [ "$cmd" = stop ]; then stop; exit 0; fi

mkdir -p "$dir"
# Postfix and Dovecot drop privileges; they must be able to walk into the folder.
chmod 755 "$dir"
dir=$(cd "$dir" && pwd)
plain=$((base + 25)) submission=$((base + 87)) smtps=$((base + 65)) introspect=$((base + 80))
relay=$((base + 24))
stop
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Certificates: a CA, and a server certificate for localhost / 127.0.0.1 signed by it.
if [ ! -f "$dir/server.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Ulak Test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/san.ext" -out "$dir/server.pem" 2>/dev/null
  chmod 644 "$dir/server.key"
fi

# Dovecot: only the auth service, on a socket Postfix's smtpd talks to.
mkdir -p "$dir/dovecot-run" "$dir/mail/inbox"/{cur,new,tmp}
chown -R nobody:nogroup "$dir/mail"
printf 'ali@test.local:{PLAIN}dogru-sifre\n' >"$dir/users"
cat >"$dir/dovecot.conf" <<CONF
protocols =
base_dir = $dir/dovecot-run
state_dir = $dir/dovecot-run
log_path = $dir/dovecot.log
ssl = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
disable_plaintext_auth = no
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $dir/users
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/dovecot-oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
# Repeated failures from one address would slow every later sign-in (2, 4, 8… s):
# tests fail passwords on purpose, so penalties are off.
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
CONF
cat >"$dir/dovecot-oauth2.conf.ext" <<CONF
introspection_mode = post
introspection_url = http://127.0.0.1:$introspect/introspect
force_introspection = yes
username_attribute = email
active_attribute = active
active_value = true
CONF
# The introspection endpoint: a test OAuth server of its own (it knows every test token).
python3 "$here/oauth.py" "$dir/oauth.jsonl" introspection-only --port "$introspect" >"$dir/oauth.port" 2>"$dir/oauth.err" &
echo $! >"$dir/oauth.pid"
dovecot -c "$dir/dovecot.conf"

# Postfix: its own config, queue and data directories.
pf="$dir/postfix"
mkdir -p "$pf" "$dir/spool" "$dir/data"
chown postfix "$dir/data"
cat >"$pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.test.local
mydomain = test.local
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks =
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
virtual_mailbox_domains = regexp:$pf/all-domains
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = regexp:$pf/all-mailboxes
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(getent group nogroup | cut -d: -f3)
smtpd_sasl_type = dovecot
smtpd_sasl_path = $dir/dovecot-run/auth-postfix
smtpd_tls_cert_file = $dir/server.pem
smtpd_tls_key_file = $dir/server.key
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
smtpd_banner = \$myhostname ESMTP Ulak test server
message_size_limit = 52428800
virtual_mailbox_limit = 0
alias_maps =
alias_database =
local_recipient_maps =
smtputf8_enable = yes
smtpd_error_sleep_time = 0
# No reverse DNS for clients (the test network is loopback only, and it costs seconds).
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
CONF
printf '/./ OK\n' >"$pf/all-domains"
printf '/./ inbox/\n' >"$pf/all-mailboxes"
cat >"$pf/master.cf" <<CONF
127.0.0.1:$plain inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes -o smtpd_tls_security_level=none
127.0.0.1:$submission inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes -o smtpd_tls_security_level=encrypt -o smtpd_tls_auth_only=yes
127.0.0.1:$smtps inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes -o smtpd_tls_wrappermode=yes
127.0.0.1:$relay inet n - n - - smtpd -o smtpd_sasl_auth_enable=no -o smtpd_tls_security_level=may -o mynetworks=127.0.0.0/8 -o smtpd_relay_restrictions=permit_mynetworks,reject -o smtpd_recipient_restrictions=permit_mynetworks,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
[ -f /etc/postfix/main.cf ] || touch /etc/postfix/main.cf
# Postfix reports start-up errors only to syslog; say where to look instead of hanging.
if ! timeout 30 postfix -c "$pf" start >/dev/null 2>&1; then
  echo "postfix did not start; its log: $dir/postfix.log" >&2
  tail -20 "$dir/postfix.log" >&2 2>/dev/null || true
  exit 1
fi

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$smtps") 2>/dev/null; then break; fi
  sleep 0.1
done
# The first connection to each service spawns its smtpd and takes seconds; take that
# hit here, so the tests' timeouts measure the protocol, not Postfix starting up.
for p in "$plain" "$submission" "$relay"; do
  timeout 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p; head -c 4 <&3; printf 'QUIT\r\n' >&3" >/dev/null 2>&1 || true
done

cat >"$dir/env" <<ENV
ULAK_TEST_SMTP_PLAIN=$plain
ULAK_TEST_SMTP_STARTTLS=$submission
ULAK_TEST_SMTP_TLS=$smtps
ULAK_TEST_SMTP_RELAY=$relay
ULAK_TEST_SMTP_CA=$dir/ca.pem
ULAK_TEST_SMTP_MAILDIR=$dir/mail/inbox
ULAK_TEST_SMTP_USER=ali@test.local
ULAK_TEST_SMTP_PASSWORD=dogru-sifre
ULAK_TEST_OAUTH_INTROSPECT=http://127.0.0.1:$introspect/introspect
ENV
echo "mail server up: plain $plain, starttls $submission, tls $smtps, relay $relay (dir $dir)"
