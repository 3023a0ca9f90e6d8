<?php
// Fixtures for check-escaping.php: each marked line must be reported.
$name = $_GET['name'];
echo '<p>' . $name . '</p>'; // finding
echo '<p>' . esc_html( $name ) . '</p>';
echo '<a href="' . esc_url( $url ) . '">' . strtoupper( $name ) . '</a>'; // finding
?>
<p><?= $name ?></p><!-- finding -->
<p><?php echo esc_attr( sprintf( '%s', $name ) ); ?></p>
<?php print $obj->title; // finding
