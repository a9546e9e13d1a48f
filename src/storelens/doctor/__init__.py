"""The doctor: the checks `storelens doctor` and the Check connection button run, the help page of each problem
code, and the banner shown while a store needs attention. The problem catalogue itself belongs to `stores.problems`."""
