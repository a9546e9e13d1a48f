<?php
/**
 * Creates WordPress's tables and the admin user (run with REALSTORE_INSTALLING=1).
 * Args: title admin_user admin_email admin_password
 */
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
[, $title, $user, $email, $password] = $argv;
$result = wp_install($title, $user, $email, false, '', wp_slash($password));
echo wp_json_encode(array('user_id' => $result['user_id']));
