#include "bda/report/pdf_printer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace bda::report {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr std::size_t kLogTail = 600; // characters of Chromium's output quoted in an error

//! A fresh directory (the browser profile, its HOME and its log), removed with everything in it.
class TempDir {
public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/bda-report-chromium-XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw PdfError("cannot create a temporary directory " + pattern + ": " + errno_text(errno));
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

std::string tail_of(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  if (s.size() > kLogTail) s = "..." + s.substr(s.size() - kLogTail);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "(no output)" : s;
}

//! The environment for the browser: ours, with HOME and the XDG folders inside the temporary
//! directory, so that nothing is left in the user's home.
std::vector<std::string> browser_environment(const std::filesystem::path& dir) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string_view kv(*e);
    if (kv.starts_with("HOME=") || kv.starts_with("XDG_CONFIG_HOME=") || kv.starts_with("XDG_CACHE_HOME=")) continue;
    env.emplace_back(kv);
  }
  env.push_back("HOME=" + dir.string());
  env.push_back("XDG_CONFIG_HOME=" + (dir / "config").string());
  env.push_back("XDG_CACHE_HOME=" + (dir / "cache").string());
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

//! Starts Chromium in a process group of its own with stdin from /dev/null and output to `log`.
pid_t spawn(const std::filesystem::path& program, std::vector<std::string>& args, std::vector<std::string>& env,
            const std::filesystem::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> argv = pointers(args), envp = pointers(env);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw PdfError("cannot start " + program.string() + ": " + errno_text(rc));
  return pid;
}

//! Waits for the browser until the deadline. Whatever happens, its whole process group is killed
//! before the main process is reaped (so the group id cannot have been reused), leaving nothing.
//! Returns the wait status, or nullopt after a timeout.
std::optional<int> wait_for(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool exited = false;
  while (true) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
      exited = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  ::kill(-pid, SIGKILL); // helpers still alive in the group (none after a clean exit)
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!exited) return std::nullopt;
  return status;
}

bool is_pdf(const std::filesystem::path& pdf) {
  std::error_code ec;
  if (std::filesystem::file_size(pdf, ec) == 0 || ec) return false;
  std::ifstream in(pdf, std::ios::binary);
  char magic[5] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == sizeof magic && std::memcmp(magic, "%PDF-", sizeof magic) == 0;
}

} // namespace

std::string file_url(const std::filesystem::path& absolute_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (char c : absolute_path.string()) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      url += c;
    } else {
      url += '%';
      url += kHex[b >> 4];
      url += kHex[b & 0xF];
    }
  }
  return url;
}

void print_pdf(const std::filesystem::path& html, const std::filesystem::path& pdf, const PdfOptions& options) {
  if (::access(options.chromium.c_str(), X_OK) != 0)
    throw PdfError("report.pdf needs headless Chromium, but " + options.chromium.string() +
                   " is not there (Debian package: chromium; apt-get install chromium), or pass --no-pdf");
  TempDir dir;
  const std::filesystem::path log = dir.path() / "chromium.log";
  std::vector<std::string> args = {
      options.chromium.string(),
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--user-data-dir=" + (dir.path() / "profile").string(),
      "--print-to-pdf=" + std::filesystem::absolute(pdf).string(),
      "--no-pdf-header-footer",
      "--virtual-time-budget=" + std::to_string(options.virtual_time_budget_ms),
      file_url(std::filesystem::absolute(html)),
  };
  std::vector<std::string> env = browser_environment(dir.path());
  std::error_code ignored;
  std::filesystem::remove(pdf, ignored);
  const pid_t pid = spawn(options.chromium, args, env, log);
  const std::optional<int> status = wait_for(pid, options.timeout);
  if (!status)
    throw PdfError("Chromium did not finish printing " + html.string() + " within " +
                   std::to_string(options.timeout.count()) + " s and was stopped: " + tail_of(log));
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0)
    throw PdfError("Chromium failed printing " + html.string() + " (" +
                   (WIFEXITED(*status) ? "exit code " + std::to_string(WEXITSTATUS(*status))
                                       : "signal " + std::to_string(WTERMSIG(*status))) +
                   "): " + tail_of(log));
  if (!is_pdf(pdf)) throw PdfError("Chromium wrote no PDF to " + pdf.string() + ": " + tail_of(log));
}

} // namespace bda::report
